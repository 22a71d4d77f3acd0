namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>
/// The tests that share one three-master Redis Cluster, started once for all of them. They run alone, after the
/// other collections, so that three more servers and their load never overlap the timing-sensitive fault and
/// measurement tests on the single server.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterFixture>
{
    public const string Name = "Redis Cluster";
}
