using Cacheweave.Benchmarks.Infrastructure;

namespace Cacheweave.Benchmarks.Memory;

/// <summary>One cache's memory cost per entry.</summary>
/// <param name="Name">The cache's display name.</param>
/// <param name="Kind">The cache, when it is one of the <see cref="CacheKind"/>s the benchmarks compare.</param>
/// <param name="EntriesHeld">The entries it held when measured (the entries written, for a cache that does not say).</param>
/// <param name="RetainedBytesPerEntry">Heap growth after a full collection, divided by the entries held.</param>
/// <param name="AllocatedBytesPerEntry">Bytes allocated while filling (garbage included), divided by the entries written.</param>
public sealed record MemoryFootprintResult(string Name, CacheKind? Kind, long EntriesHeld, double RetainedBytesPerEntry, double AllocatedBytesPerEntry);
