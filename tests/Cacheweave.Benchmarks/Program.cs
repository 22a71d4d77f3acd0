using Cacheweave.Benchmarks;

return await BenchmarkProgram.RunAsync(args).ConfigureAwait(false);
