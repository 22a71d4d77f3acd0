Console.WriteLine("Cacheweave quick start: coming with the interception work.");
