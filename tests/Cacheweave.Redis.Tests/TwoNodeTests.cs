using System.Diagnostics;
using Cacheweave.Redis.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Cacheweave.Redis.Tests;

/// <summary>Two nodes — separate connections, separate L1s — sharing one redis-server.</summary>
public sealed class TwoNodeTests(RedisServerFixture fixture) : RedisTestBase(fixture)
{
    private static readonly TimeSpan s_oneSecond = TimeSpan.FromSeconds(1);

    private RedisNode CreateNode() => Track(new RedisNode(Fixture, Prefix, Logs));

    [Fact]
    public async Task A_value_written_on_one_node_is_read_on_the_other()
    {
        var a = CreateNode();
        var b = CreateNode();

        await a.Backend.PutAsync("greeting", "hello from A");
        await b.WaitForMessagesAsync(1);

        Assert.Equal("hello from A", (await b.Backend.GetAsync<string>("greeting")).Value);
        Assert.Equal("hello from A", (await b.Local.GetAsync<string>("greeting")).Value);
    }

    [Fact]
    public async Task A_write_on_one_node_drops_the_local_copy_of_the_other_within_a_second()
    {
        var a = CreateNode();
        var b = CreateNode();
        await a.Backend.PutAsync("k", "v1");
        await b.WaitForMessagesAsync(1);
        await b.Backend.GetAsync<string>("k");
        Assert.True((await b.Local.GetAsync<string>("k")).HasValue);

        await a.Backend.PutAsync("k", "v2");

        await Eventually.HoldsAsync(async () => !(await b.Local.GetAsync<string>("k")).HasValue, s_oneSecond, "B drops its copy of k");
        Assert.Equal("v2", (await b.Backend.GetAsync<string>("k")).Value);
    }

    [Fact]
    public async Task A_removal_and_a_clear_on_one_node_reach_the_other()
    {
        var a = CreateNode();
        var b = CreateNode();
        await a.Backend.PutAsync("x", 1);
        await a.Backend.PutAsync("y", 2);
        await b.WaitForMessagesAsync(2);
        await b.Backend.GetAsync<int>("x");
        await b.Backend.GetAsync<int>("y");
        Assert.Equal(2, b.Local.Count);

        await a.Backend.RemoveAsync("x");
        await Eventually.HoldsAsync(async () => !(await b.Local.GetAsync<int>("x")).HasValue, s_oneSecond, "B drops x");
        await a.Backend.ClearAsync();
        await Eventually.HoldsAsync(async () => b.Local.Count == 0, s_oneSecond, "B clears its local tier");

        Assert.Equal(0, await b.Backend.CountAsync());
    }

    [Fact]
    public async Task A_node_ignores_its_own_messages()
    {
        var a = CreateNode();
        var b = CreateNode();
        var heardByA = new System.Collections.Concurrent.ConcurrentQueue<string?>();
        using var onA = a.Channel.Subscribe(message => { heardByA.Enqueue(message.Key); return ValueTask.CompletedTask; });

        await a.Backend.PutAsync("from-a", "v");
        await b.Backend.PutAsync("from-b", "w");

        // The server delivers messages to a subscriber in the order they were published: had A's own message
        // not been skipped, it would be in the queue ahead of B's.
        await Eventually.HoldsAsync(() => Task.FromResult(heardByA.Contains("from-b")), s_oneSecond, "A hears B's message");
        Assert.Equal(["from-b"], heardByA);
        Assert.Equal("v", (await a.Local.GetAsync<string>("from-a")).Value);
    }

    [Fact]
    public async Task An_invalidation_published_by_another_os_process_is_honoured()
    {
        var node = CreateNode();
        await node.Backend.PutAsync("k", "v");
        var redisCli = Path.Combine(Path.GetDirectoryName(RedisServer.BinaryPath)!, "redis-cli");
        Assert.True(File.Exists(redisCli), "redis-cli ships with redis-server");

        using var cli = Process.Start(new ProcessStartInfo(redisCli)
        {
            ArgumentList = { "-p", Fixture.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "PUBLISH", node.Channel.ChannelName, $"cw1|{Guid.NewGuid():N}|k|k" },
            RedirectStandardOutput = true,
        })!;
        await cli.WaitForExitAsync();

        Assert.Equal(0, cli.ExitCode);
        await Eventually.HoldsAsync(async () => !(await node.Local.GetAsync<string>("k")).HasValue, s_oneSecond, "the node drops k");
    }

    [Fact]
    public async Task Malformed_messages_on_the_channel_are_logged_and_ignored()
    {
        var node = CreateNode();
        await node.Backend.PutAsync("k", "v");
        var subscriber = Multiplexer.GetSubscriber();
        var channel = StackExchange.Redis.RedisChannel.Literal(node.Channel.ChannelName);

        await subscriber.PublishAsync(channel, "garbage");
        await subscriber.PublishAsync(channel, $"cw1|not-a-guid|k|k");
        await subscriber.PublishAsync(channel, $"cw1|{Guid.NewGuid():N}|k|");
        await subscriber.PublishAsync(channel, new byte[] { 0xff, 0xfe, 0x00 });

        await Eventually.HoldsAsync(
            () => Task.FromResult(Logs.GetSnapshot().Count(l => l.Id.Id == 2023 && l.Level == LogLevel.Warning) == 4),
            s_oneSecond,
            "four malformed messages are logged");
        Assert.Equal("v", (await node.Local.GetAsync<string>("k")).Value);
    }

    [Fact]
    public async Task A_reconnect_makes_the_channel_drop_every_local_copy()
    {
        var node = CreateNode();
        var resets = 0;
        using var probe = node.Channel.Subscribe(invalidation =>
        {
            if (invalidation.IsAll)
            {
                Interlocked.Increment(ref resets);
            }

            return ValueTask.CompletedTask;
        });
        await node.Backend.PutAsync("k", "v");

        // Kill the subscription connection from the server side; the client reconnects by itself.
        await using var admin = Fixture.Connect(options => options.AllowAdmin = true);
        await admin.GetDatabase().ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");

        await Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref resets) > 0), TimeSpan.FromSeconds(10), "the channel reports the reconnect");
        Assert.False((await node.Local.GetAsync<string>("k")).HasValue);
        Assert.Equal("v", (await node.Backend.GetAsync<string>("k")).Value);
    }

    [Fact]
    public async Task After_a_pubsub_kill_the_reset_comes_only_once_the_subscription_hears_messages_again()
    {
        var reader = CreateNode();
        var markers = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var admin = Fixture.Connect(options => options.AllowAdmin = true);

        // The marker goes out as another node's message over a plain command connection, which CLIENT KILL TYPE pubsub
        // leaves alone: a node's own fire-and-forget publish may be dropped while its own subscription reconnects, and
        // that loss is not what this test is about.
        var otherNode = Guid.NewGuid();
        var channel = StackExchange.Redis.RedisChannel.Literal(Prefix + "invalidation");
        using var onReset = reader.Channel.Subscribe(invalidation =>
        {
            if (invalidation.IsAll)
            {
                // Sent the moment the reset arrives: a reset before the server re-subscribed would miss it.
                var marker = $"marker-{markers.Count}";
                markers.Enqueue(marker);
                admin.GetDatabase().Publish(
                    channel,
                    Cacheweave.Redis.Invalidation.InvalidationMessage.Format(otherNode, Cacheweave.Tiers.CacheInvalidation.ForKey(marker)),
                    StackExchange.Redis.CommandFlags.FireAndForget);
            }

            return ValueTask.CompletedTask;
        });

        for (var round = 0; round < 3; round++)
        {
            var before = markers.Count;
            await admin.GetDatabase().ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");
            await Eventually.HoldsAsync(() => Task.FromResult(markers.Count > before), TimeSpan.FromSeconds(10), "the reader's channel resets");

            // Before the next kill, which would lose a message still on its way.
            await Eventually.HoldsAsync(
                () => Task.FromResult(markers.All(reader.HasReceived)), TimeSpan.FromSeconds(10), "the reader hears the message sent as its reset arrived");
        }

        Assert.True(IsListening(reader));
        Assert.DoesNotContain(Logs.GetSnapshot(), record => record.Id.Id == 2023);
    }

    [Fact]
    public async Task A_reader_that_re_reads_the_old_value_right_after_its_reset_still_hears_the_removal()
    {
        // The sequence behind stale reads after a fault: the reader's reset clears L1, it re-reads the old value
        // before the writer's (replayed) removal, and the removal's message must not fall into a resubscribe gap.
        var writer = CreateNode();
        var reader = CreateNode();
        var resets = 0;
        using var onReset = reader.Channel.Subscribe(invalidation =>
        {
            if (invalidation.IsAll)
            {
                Interlocked.Increment(ref resets);
            }

            return ValueTask.CompletedTask;
        });
        await using var admin = Fixture.Connect(options => options.AllowAdmin = true);

        for (var round = 0; round < 3; round++)
        {
            var key = $"k{round}";
            await writer.Backend.PutAsync(key, "old");
            var before = Volatile.Read(ref resets);
            await admin.GetDatabase().ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");
            await Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref resets) > before), TimeSpan.FromSeconds(10), "the reader's channel resets");

            Assert.Equal("old", (await reader.Backend.GetAsync<string>(key)).Value);
            Assert.Equal(Cacheweave.Tiers.CacheInvalidationResult.Removed, await writer.Backend.InvalidateAsync(key));

            await Eventually.HoldsAsync(
                async () => !(await reader.Local.GetAsync<string>(key)).HasValue, TimeSpan.FromSeconds(5), $"the reader drops its copy of {key}");
            Assert.False((await reader.Backend.GetAsync<string>(key)).HasValue);
        }
    }

    [Fact]
    public async Task Invalidations_flow_again_after_a_restart_even_for_a_node_that_started_during_the_outage()
    {
        var before = CreateNode();
        Fixture.Server.Kill();
        var during = CreateNode();
        await Fixture.Server.StartAsync();

        // Both nodes reconnect and subscribe by themselves; publish until each hears the other.
        await Eventually.HoldsAsync(() => HearsAsync(before, during), TimeSpan.FromSeconds(10), "the node started during the outage hears the other");
        await Eventually.HoldsAsync(() => HearsAsync(during, before), TimeSpan.FromSeconds(10), "the node started before the outage hears the other");

        // The node started during the outage could not subscribe at first (logged) and subscribed once it could: once,
        // so each message reaches it exactly once.
        Assert.Contains(Logs.GetSnapshot(), log => log.Id.Id == 2020);

        // Published on the channel itself: a write that met the recovering tier would be replayed and announced again.
        // Resets (one per confirmed reconnect, which may still be under way) are not counted either.
        var heard = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var counter = during.Channel.Subscribe(message =>
        {
            if (message.Key is "once" or "twice")
            {
                heard.Enqueue(message.Key);
            }

            return ValueTask.CompletedTask;
        });
        await before.Channel.PublishAsync(Cacheweave.Tiers.CacheInvalidation.ForKey("once"));
        await Eventually.HoldsAsync(() => Task.FromResult(heard.Contains("once")), TimeSpan.FromSeconds(10), "the node hears 'once'");
        await before.Channel.PublishAsync(Cacheweave.Tiers.CacheInvalidation.ForKey("twice"));
        await Eventually.HoldsAsync(() => Task.FromResult(heard.Contains("twice")), TimeSpan.FromSeconds(10), "the node hears 'twice'");
        await Task.Delay(100);
        Assert.Equal(["once", "twice"], heard);
    }

    private static bool IsListening(RedisNode node) => ((Cacheweave.Tiers.IListeningInvalidationChannel)node.Channel).IsListening;

    private static async Task<bool> HearsAsync(RedisNode sender, RedisNode receiver)
    {
        var key = $"probe-{Guid.NewGuid():N}";
        await sender.Backend.PutAsync(key, 1);
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromMilliseconds(200))
        {
            if (receiver.HasReceived(key))
            {
                return true;
            }

            await Task.Delay(5);
        }

        return false;
    }
}
