using Cacheweave.Backends;

namespace Cacheweave.Tests.Backends;

public sealed class TinyLfuBackendConformanceTests : CacheBackendConformanceTests
{
    protected override ICacheBackend CreateBackend() => new TinyLfuBackend(1_000);
}
