using Cacheweave.Backends;

namespace Cacheweave.Tests.Backends;

/// <summary>The conformance suite on a backend bounded by bytes only, whose sizer counts every entry as 100 bytes.</summary>
public sealed class ByteBudgetLruBackendConformanceTests : CacheBackendConformanceTests
{
    protected override ICacheBackend CreateBackend() =>
        new LruBackend(new InMemoryBackendOptions { MaxBytes = 100 * 1_000, Sizer = static (_, _) => 100 });
}
