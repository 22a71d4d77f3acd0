using System.ComponentModel;

namespace Cacheweave.Benchmarks.Infrastructure;

/// <summary>
/// The value every benchmark stores: one shared reference object, so that only the caches' own costs are measured.
/// Marked immutable so that HybridCache keeps the instance rather than a serialized copy.
/// </summary>
[ImmutableObject(true)]
public sealed class BenchmarkValue
{
    private BenchmarkValue()
    {
    }

    /// <summary>The one instance stored under every key.</summary>
    public static BenchmarkValue Shared { get; } = new();
}
