using Cacheweave.Backends;
using Cacheweave.Resilience;
using Cacheweave.Tests.Backends;

namespace Cacheweave.Tests.Resilience;

/// <summary>The backend contract holds through the resilient wrapper while the wrapped tier is healthy.</summary>
public sealed class ResilientCacheBackendConformanceTests : CacheBackendConformanceTests
{
    protected override ICacheBackend CreateBackend() => new ResilientCacheBackend(new LruBackend(2_000));
}
