namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>The tests that share one three-master Redis Cluster, started once for all of them.</summary>
[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterFixture>
{
    public const string Name = "Redis Cluster";
}
