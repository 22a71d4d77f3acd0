using Cacheweave.Redis.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Cacheweave.Redis.Tests.Cluster;

/// <summary>Clear and count of a key prefix whose keys hash to slots on all three masters.</summary>
public sealed class ClusterClearAndCountTests(RedisClusterFixture fixture, ITestOutputHelper output) : ClusterTestBase(fixture)
{
    private const int Keys = 3_000;

    [Fact]
    public async Task The_fixture_runs_three_masters_that_serve_every_slot()
    {
        foreach (var node in Cluster.Nodes)
        {
            var info = await RedisCluster.QueryAsync(node, "CLUSTER", "INFO");
            Assert.Contains("cluster_state:ok", info, StringComparison.Ordinal);
            Assert.Contains("cluster_size:3", info, StringComparison.Ordinal);
            Assert.Contains("cluster_slots_assigned:16384", info, StringComparison.Ordinal);
        }

        var primaries = Connect().GetServers().Where(server => !server.IsReplica).ToArray();
        Assert.Equal(3, primaries.Length);
        Assert.All(primaries, server => Assert.Equal(ServerType.Cluster, server.ServerType));
        output.WriteLine($"cluster of {Cluster.Nodes.Count} masters started and ok in {Cluster.StartTime.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Clearing_a_prefix_removes_its_keys_from_every_master_and_nothing_else()
    {
        var backend = CreateRedisBackend();
        var neighbour = CreateRedisBackend(Prefix.TrimEnd(':') + "0:");
        for (var i = 0; i < 100; i++)
        {
            await neighbour.PutAsync($"n{i}", i);
        }

        await Task.WhenAll(Enumerable.Range(0, Keys).Select(i => backend.PutAsync($"k{i}", i).AsTask()));
        var before = await CountPerNodeAsync(Prefix);
        Assert.Equal(Keys, before.Sum());
        Assert.All(before, count => Assert.True(count > 0, $"every master holds some of the keys: {string.Join(", ", before)}"));

        await backend.ClearAsync();

        Assert.Equal(new long[] { 0, 0, 0 }, await CountPerNodeAsync(Prefix));
        Assert.Equal(0, await backend.CountAsync());
        Assert.Equal(100, (await CountPerNodeAsync(neighbour.KeyPrefix)).Sum());
        Assert.Equal(42, (await neighbour.GetAsync<int>("n42")).Value);
        output.WriteLine($"{Keys:N0} keys per master before the clear: {string.Join(", ", before)}");
    }

    [Fact]
    public async Task Count_adds_up_the_keys_of_every_master()
    {
        var backend = CreateRedisBackend();
        await Task.WhenAll(Enumerable.Range(0, Keys).Select(i => backend.PutAsync($"k{i}", i).AsTask()));
        await backend.RemoveAsync("k0");
        await backend.RemoveAsync("k1");

        var perNode = await CountPerNodeAsync(Prefix);
        Assert.All(perNode, count => Assert.True(count > 0, $"every master holds some of the keys: {string.Join(", ", perNode)}"));
        Assert.Equal(Keys - 2, await backend.CountAsync());
        Assert.Equal(perNode.Sum(), await backend.CountAsync());
    }

    [Fact]
    public async Task A_backend_that_knows_one_master_finds_the_others_to_count_and_clear()
    {
        var seed = Cluster.Nodes[^1];
        var multiplexer = Track(Fixture.Connect(options =>
        {
            options.EndPoints.Clear();
            options.EndPoints.Add(seed.EndPoint);
        }));
        var backend = new RedisBackend(multiplexer, new RedisBackendOptions { KeyPrefix = Prefix });
        await Task.WhenAll(Enumerable.Range(0, Keys).Select(i => backend.PutAsync($"k{i}", i).AsTask()));
        Assert.All(await CountPerNodeAsync(Prefix), count => Assert.True(count > 0));

        Assert.Equal(Keys, await backend.CountAsync());
        await backend.ClearAsync();

        Assert.Equal(new long[] { 0, 0, 0 }, await CountPerNodeAsync(Prefix));
    }

    [Fact]
    public async Task A_prefix_with_a_hash_tag_keeps_its_keys_on_one_master_and_clears_them_in_one_slot()
    {
        // "{...}" in the prefix pins every key to one slot, so more keys than one UNLINK batch share that slot.
        var tagged = $"{{{Prefix}}}:";
        var backend = CreateRedisBackend(tagged);
        await Task.WhenAll(Enumerable.Range(0, Keys).Select(i => backend.PutAsync($"k{i}", i).AsTask()));
        var before = await CountPerNodeAsync(tagged);
        Assert.Single(before, count => count == Keys);
        Assert.Equal(Keys, await backend.CountAsync());

        await backend.ClearAsync();

        Assert.Equal(new long[] { 0, 0, 0 }, await CountPerNodeAsync(tagged));
    }

    [Fact]
    public async Task A_write_and_a_removal_go_to_the_master_that_owns_the_slot()
    {
        var backend = CreateRedisBackend();
        var multiplexer = backend.Multiplexer;
        var placed = new HashSet<string>();
        for (var i = 0; placed.Count < Cluster.Nodes.Count; i++)
        {
            var key = $"probe{i}";
            await backend.PutAsync(key, i);
            var owner = multiplexer.GetDatabase().IdentifyEndpoint(Prefix + key)!.ToString()!;
            var expected = Cluster.Nodes.Single(node => node.EndPoint.ToString() == owner);
            Assert.Equal(1, await CountOnNodeAsync(expected, Prefix + key));
            Assert.True(await backend.RemoveAsync(key));
            Assert.Equal(0, await CountOnNodeAsync(expected, Prefix + key));
            placed.Add(owner);
        }
    }
}
