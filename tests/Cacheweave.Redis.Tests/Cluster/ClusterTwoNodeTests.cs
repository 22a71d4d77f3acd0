using Cacheweave.Redis.Tests.Infrastructure;

namespace Cacheweave.Redis.Tests.Cluster;

/// <summary>
/// Two nodes of a service — separate cluster connections, separate L1s — sharing a three-master Redis Cluster:
/// what one writes, removes or clears must drop the other's local copy, whichever master each is connected to.
/// </summary>
public sealed class ClusterTwoNodeTests(RedisClusterFixture fixture) : ClusterTestBase(fixture)
{
    private static readonly TimeSpan s_within = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Writes_to_keys_on_every_master_drop_the_other_nodes_local_copies()
    {
        var a = CreateNode();
        var b = CreateNode();
        var keys = KeysOnEveryMaster(a);
        foreach (var key in keys)
        {
            await a.Backend.PutAsync(key, "v1");
        }

        await b.WaitForMessagesAsync(keys.Length);
        foreach (var key in keys)
        {
            Assert.Equal("v1", (await b.Backend.GetAsync<string>(key)).Value);
            Assert.True((await b.Local.GetAsync<string>(key)).HasValue);
        }

        foreach (var key in keys)
        {
            await a.Backend.PutAsync(key, "v2");
        }

        foreach (var key in keys)
        {
            await Eventually.HoldsAsync(async () => !(await b.Local.GetAsync<string>(key)).HasValue, s_within, $"B drops its copy of {key}");
            Assert.Equal("v2", (await b.Backend.GetAsync<string>(key)).Value);
        }
    }

    [Fact]
    public async Task A_removal_and_a_clear_on_one_node_reach_the_other()
    {
        var a = CreateNode();
        var b = CreateNode();
        var keys = KeysOnEveryMaster(a);
        foreach (var key in keys)
        {
            await a.Backend.PutAsync(key, 1);
        }

        await b.WaitForMessagesAsync(keys.Length);
        foreach (var key in keys)
        {
            await b.Backend.GetAsync<int>(key);
        }

        Assert.Equal(keys.Length, b.Local.Count);

        await a.Backend.RemoveAsync(keys[0]);
        await Eventually.HoldsAsync(async () => !(await b.Local.GetAsync<int>(keys[0])).HasValue, s_within, "B drops the removed key");
        await a.Backend.ClearAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(b.Local.Count == 0), s_within, "B clears its local tier");

        Assert.Equal(0, await b.Backend.CountAsync());
        Assert.Equal(new long[] { 0, 0, 0 }, await CountPerNodeAsync(Prefix));
    }

    [Fact]
    public async Task A_node_hears_the_other_nodes_writes_on_every_master_but_not_its_own()
    {
        var a = CreateNode();
        var b = CreateNode();
        var heardByA = new System.Collections.Concurrent.ConcurrentQueue<string?>();
        using var onA = a.Channel.Subscribe(message => { heardByA.Enqueue(message.Key); return ValueTask.CompletedTask; });
        var keys = KeysOnEveryMaster(a);

        foreach (var key in keys)
        {
            await a.Backend.PutAsync(key, "from A");
        }

        await b.Backend.PutAsync(keys[^1], "from B");

        // A published before B wrote: had A's own messages not been skipped, they would be in the queue ahead of B's.
        await Eventually.HoldsAsync(() => Task.FromResult(heardByA.Contains(keys[^1])), s_within, "A hears B's write");
        Assert.Equal([keys[^1]], heardByA);
        Assert.False((await a.Local.GetAsync<string>(keys[^1])).HasValue);
        foreach (var key in keys[..^1])
        {
            Assert.Equal("from A", (await a.Local.GetAsync<string>(key)).Value);
        }
    }

    [Fact]
    public async Task An_invalidation_published_on_any_master_reaches_a_node_subscribed_elsewhere()
    {
        var node = CreateNode();
        foreach (var master in Cluster.Nodes)
        {
            var key = $"via-{master.Port}";
            await node.Backend.PutAsync(key, "v");
            Assert.True((await node.Local.GetAsync<string>(key)).HasValue);

            // A client that knows nothing of the cluster, talking to this master alone.
            await RedisCluster.QueryAsync(master, "PUBLISH", node.Channel.ChannelName, $"cw1|{Guid.NewGuid():N}|k|{key}");

            await Eventually.HoldsAsync(async () => !(await node.Local.GetAsync<string>(key)).HasValue, s_within, $"the node drops {key} published on port {master.Port}");
        }
    }

    [Fact]
    public async Task After_every_master_drops_its_pubsub_clients_the_nodes_reset_and_hear_each_other_again()
    {
        var a = CreateNode();
        var b = CreateNode();
        await b.Backend.PutAsync("k", "v");
        Assert.True((await b.Local.GetAsync<string>("k")).HasValue);

        // Wherever the cluster client placed the subscriptions, they are gone now. Nothing but the channel's reset
        // on reconnect drops B's local copy of k: no one else writes it.
        foreach (var master in Cluster.Nodes)
        {
            await RedisCluster.QueryAsync(master, "CLIENT", "KILL", "TYPE", "pubsub");
        }

        await Eventually.HoldsAsync(async () => !(await b.Local.GetAsync<string>("k")).HasValue, TimeSpan.FromSeconds(10), "B drops its local tier on the reconnect");
        Assert.Equal("v", (await b.Backend.GetAsync<string>("k")).Value);

        // B subscribed again: a write on A reaches it. Publish until it does; the resubscription may trail the reset.
        await Eventually.HoldsAsync(
            async () =>
            {
                var key = $"after-{Guid.NewGuid():N}";
                await a.Backend.PutAsync(key, 1);
                await Task.Delay(100);
                return b.HasReceived(key);
            },
            TimeSpan.FromSeconds(10),
            "B hears A again");
    }

    /// <summary>One key of this test's prefix per master, found by asking the connection which master owns each slot.</summary>
    private string[] KeysOnEveryMaster(RedisNode node)
    {
        var database = node.Multiplexer.GetDatabase();
        var byOwner = new Dictionary<string, string>();
        for (var i = 0; byOwner.Count < Cluster.Nodes.Count; i++)
        {
            var key = $"key{i}";
            byOwner.TryAdd(database.IdentifyEndpoint(Prefix + key)!.ToString()!, key);
        }

        return [.. byOwner.Values];
    }
}
