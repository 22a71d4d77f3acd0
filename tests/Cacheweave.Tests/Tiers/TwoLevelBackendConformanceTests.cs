using Cacheweave.Backends;
using Cacheweave.Tests.Backends;
using Cacheweave.Tiers;

namespace Cacheweave.Tests.Tiers;

/// <summary>The backend contract on a two-level backend over two in-memory tiers (the Redis test project runs it over Redis).</summary>
public sealed class TwoLevelBackendConformanceTests : CacheBackendConformanceTests
{
    protected override ICacheBackend CreateBackend() =>
        new TwoLevelBackend(new LruTtlBackend(1_000, TimeSpan.FromHours(1)), new LruBackend(2_000), new InProcessInvalidationBus().CreateEndpoint());
}
