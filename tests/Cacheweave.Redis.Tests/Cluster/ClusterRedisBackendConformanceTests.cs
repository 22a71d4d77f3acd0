using Cacheweave.Backends;
using Cacheweave.Redis.Tests.Infrastructure;
using Cacheweave.Tests.Backends;

namespace Cacheweave.Redis.Tests.Cluster;

/// <summary>The shared backend contract, on a three-master Redis Cluster, with a key prefix of its own per test.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class ClusterRedisBackendConformanceTests(RedisClusterFixture fixture) : CacheBackendConformanceTests
{
    protected override ICacheBackend CreateBackend() =>
        RedisBackend.Connect(fixture.Cluster.Configuration, new RedisBackendOptions { KeyPrefix = $"conformance:{Guid.NewGuid():N}:", MaximumValueSize = CacheBackendConformanceTests.LargeValueRoom });
}
