using Cacheweave.Benchmarks.Infrastructure;

namespace Cacheweave.Benchmarks.Memory;

/// <summary>One cache's memory cost per entry.</summary>
/// <param name="Kind">The cache.</param>
/// <param name="EntriesHeld">The entries it held when measured.</param>
/// <param name="RetainedBytesPerEntry">Heap growth after a full collection, divided by the entries held.</param>
/// <param name="AllocatedBytesPerEntry">Bytes allocated while filling (garbage included), divided by the entries written.</param>
public sealed record MemoryFootprintResult(CacheKind Kind, long EntriesHeld, double RetainedBytesPerEntry, double AllocatedBytesPerEntry);
