using Cacheweave.Backends;

namespace Cacheweave.Tests.Backends;

public sealed class LfuBackendConformanceTests : CacheBackendConformanceTests
{
    protected override ICacheBackend CreateBackend() => new LfuBackend(1_000);
}
