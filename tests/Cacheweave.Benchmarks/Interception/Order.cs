using System.ComponentModel;

namespace Cacheweave.Benchmarks.Interception;

/// <summary>
/// The cached result. Sealed and marked immutable so that HybridCache may hand out the cached instance instead
/// of a fresh copy on every hit (its fastest mode, as Cacheweave and FusionCache do).
/// </summary>
[ImmutableObject(true)]
public sealed record Order(Guid Id, int CustomerId, string Region, decimal Total);
