using Cacheweave.Redis.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace Cacheweave.Redis.Tests.Cluster;

/// <summary>
/// Base of the tests on the shared Redis Cluster: a key prefix of their own per test, connections closed after
/// the test, a log collector, and a look at each master alone.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public abstract class ClusterTestBase(RedisClusterFixture fixture) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _disposables = [];

    protected RedisClusterFixture Fixture { get; } = fixture;

    protected RedisCluster Cluster => Fixture.Cluster;

    protected string Prefix { get; } = $"cluster:{Guid.NewGuid():N}:";

    protected FakeLogCollector Logs { get; } = new();

    /// <summary>A cluster connection of its own, closed after the test.</summary>
    protected ConnectionMultiplexer Connect() => Track(Fixture.Connect());

    protected RedisBackend CreateRedisBackend(string? prefix = null) =>
        new(Connect(), new RedisBackendOptions { KeyPrefix = prefix ?? Prefix }, new FakeLogger<RedisBackend>(Logs));

    /// <summary>A two-level backend with a connection of its own, as one process of a service would have.</summary>
    protected RedisNode CreateNode() => Track(new RedisNode(Fixture.Connect(), Prefix, Logs));

    /// <summary>How many keys under <paramref name="prefix"/> one master holds, asked of that master alone over a raw socket.</summary>
    protected static async Task<long> CountOnNodeAsync(RedisServer node, string prefix)
    {
        // KEYS inside a script with no declared keys runs on the node it is sent to and sees only that node's keyspace.
        var reply = await RedisCluster.QueryAsync(node, "EVAL", "return #redis.call('KEYS', ARGV[1])", "0", prefix + "*");
        return long.Parse(reply, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The keys under <paramref name="prefix"/> on each master, in the order of <see cref="RedisCluster.Nodes"/>.</summary>
    protected async Task<long[]> CountPerNodeAsync(string prefix)
    {
        var counts = new long[Cluster.Nodes.Count];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = await CountOnNodeAsync(Cluster.Nodes[i], prefix);
        }

        return counts;
    }

    protected T Track<T>(T disposable)
        where T : IAsyncDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _disposables.Count - 1; i >= 0; i--)
        {
            await _disposables[i].DisposeAsync();
        }
    }
}
