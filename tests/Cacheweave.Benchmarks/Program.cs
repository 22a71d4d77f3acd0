using Cacheweave.Benchmarks;

return BenchmarkProgram.Run(args);
