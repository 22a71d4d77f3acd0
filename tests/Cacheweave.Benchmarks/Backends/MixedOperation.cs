namespace Cacheweave.Benchmarks.Backends;

/// <summary>One step of a mixed workload: read or write <see cref="Key"/>.</summary>
public readonly record struct MixedOperation(string Key, bool IsWrite);
