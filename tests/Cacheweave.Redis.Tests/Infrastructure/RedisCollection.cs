namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>The tests that share one redis-server. They run one after another, so the outage test can kill it.</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "Redis";
}
