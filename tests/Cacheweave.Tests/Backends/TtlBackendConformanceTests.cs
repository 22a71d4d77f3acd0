using Cacheweave.Backends;

namespace Cacheweave.Tests.Backends;

public sealed class TtlBackendConformanceTests : CacheBackendConformanceTests
{
    protected override ICacheBackend CreateBackend() => new TtlBackend(TimeSpan.FromHours(1), 1_000);
}
