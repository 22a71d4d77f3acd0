using Cacheweave.Backends;
using Cacheweave.Redis.Tests.Infrastructure;
using Cacheweave.Tests.Backends;
using Cacheweave.Tiers;

namespace Cacheweave.Redis.Tests.Cluster;

/// <summary>The shared backend contract, on an in-memory L1 in front of a three-master Redis Cluster with pub/sub invalidation.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class ClusterTwoLevelBackendConformanceTests(RedisClusterFixture fixture) : CacheBackendConformanceTests
{
    protected override ICacheBackend CreateBackend()
    {
        var prefix = $"conformance:{Guid.NewGuid():N}:";
        var redis = RedisBackend.Connect(fixture.Cluster.Configuration, new RedisBackendOptions { KeyPrefix = prefix, MaximumValueSize = CacheBackendConformanceTests.LargeValueRoom });
        return new TwoLevelBackend(
            new LruTtlBackend(1_000, TimeSpan.FromHours(1)),
            redis,
            new RedisInvalidationChannel(redis.Multiplexer, prefix + "invalidation"));
    }
}
