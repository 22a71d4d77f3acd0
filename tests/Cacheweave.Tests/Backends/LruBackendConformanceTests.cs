using Cacheweave.Backends;

namespace Cacheweave.Tests.Backends;

public sealed class LruBackendConformanceTests : CacheBackendConformanceTests
{
    protected override ICacheBackend CreateBackend() => new LruBackend(1_000);
}
