using Cacheweave.Backends;

namespace Cacheweave.Tests.Backends;

public sealed class FifoBackendConformanceTests : CacheBackendConformanceTests
{
    protected override ICacheBackend CreateBackend() => new FifoBackend(1_000);
}
