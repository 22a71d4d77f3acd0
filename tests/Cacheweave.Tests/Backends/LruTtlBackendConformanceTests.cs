using Cacheweave.Backends;

namespace Cacheweave.Tests.Backends;

public sealed class LruTtlBackendConformanceTests : CacheBackendConformanceTests
{
    protected override ICacheBackend CreateBackend() => new LruTtlBackend(1_000, TimeSpan.FromHours(1));
}
