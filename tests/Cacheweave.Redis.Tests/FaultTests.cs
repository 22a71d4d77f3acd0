using System.Collections.Concurrent;
using System.Diagnostics;
using Cacheweave.Redis.Tests.Infrastructure;
using Cacheweave.Resilience;
using Cacheweave.Tiers;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Cacheweave.Redis.Tests;

/// <summary>
/// Faults injected into a real redis-server of the test's own (persistence on) while two nodes read and one of them
/// writes and invalidates: after the fault ends and recovery completes, no read returns a value invalidated or
/// overwritten before or during the fault.
/// </summary>
public sealed class FaultTests(RedisServerFixture fixture, ITestOutputHelper output) : RedisTestBase(fixture)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan FaultLength = TimeSpan.FromSeconds(3);

    [Theory]
    [InlineData("debug-sleep")]
    [InlineData("client-pause")]
    [InlineData("maxmemory-noeviction")]
    [InlineData("kill-and-restart-with-persistence")]
    public async Task After_a_fault_and_its_recovery_no_read_returns_a_value_invalidated_or_overwritten_before_or_during_it(string fault)
    {
        _ = Fixture.Server;
        await using var server = await RedisServer.StartAsync(RedisServer.BinaryPath!, "--appendonly", "yes", "--enable-debug-command", "yes");
        await using var admin = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { server.EndPoint },
            AllowAdmin = true,
            AbortOnConnectFail = false,
        });
        var writerLogs = new FakeLogCollector();
        var readerLogs = new FakeLogCollector();
        await using var writer = Node(server, Prefix, writerLogs);
        await using var reader = Node(server, Prefix, readerLogs);
        var origin = DateTimeOffset.UtcNow;
        // Written without a timeout: on a loaded machine a 300 ms call can time out before any fault.
        var direct = new RedisBackend(admin, new RedisBackendOptions { KeyPrefix = Prefix });
        await direct.PutAsync("price", 1);
        await direct.PutAsync("gone", "x");
        await Eventually.HoldsAsync(
            async () => (await reader.Backend.GetAsync<int>("price")).HasValue && (await reader.Backend.GetAsync<string>("gone")).HasValue
                && (await writer.Backend.GetAsync<int>("price")).HasValue,
            TimeSpan.FromSeconds(10),
            "both nodes have read the values before the fault");

        var worst = new ConcurrentDictionary<string, double>();
        var changed = 0;
        var staleAfterRecovery = new ConcurrentQueue<string>();
        var recovered = 0;
        using var stop = new CancellationTokenSource();
        var callers = new[] { ("writer", writer), ("reader", reader) }.SelectMany(n => Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // A read counts as after recovery only if it started after recovery completed.
                var afterRecovery = Volatile.Read(ref recovered) != 0;
                var started = Stopwatch.GetTimestamp();
                var price = await n.Item2.Backend.GetAsync<int>("price");
                var gone = await n.Item2.Backend.GetAsync<string>("gone");
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds / 2;
                worst.AddOrUpdate(n.Item1, elapsed, (_, old) => Math.Max(old, elapsed));
                if (afterRecovery && ((price.HasValue && price.Value != 2) || gone.HasValue))
                {
                    staleAfterRecovery.Enqueue($"{n.Item1}: price {price}, gone {gone}");
                }

                await Task.Delay(1);
            }
        }))).ToArray();

        await Task.Delay(300);
        var resetsBefore = (writer.Resets, reader.Resets);
        var faultStarted = Stopwatch.GetTimestamp();
        var faultStartedAt = (DateTimeOffset.UtcNow - origin).TotalMilliseconds;
        Func<Task> endFault = await StartFaultAsync(fault, server, admin);
        await Task.Delay(500);

        var write = Stopwatch.GetTimestamp();
        await writer.Backend.PutAsync("price", 2);
        var writeMs = Stopwatch.GetElapsedTime(write).TotalMilliseconds;
        var invalidate = Stopwatch.GetTimestamp();
        var result = await writer.Backend.InvalidateAsync("gone");
        var invalidateMs = Stopwatch.GetElapsedTime(invalidate).TotalMilliseconds;
        Volatile.Write(ref changed, 1);

        var remaining = FaultLength - Stopwatch.GetElapsedTime(faultStarted);
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining);
        }

        await endFault();
        var faultEnded = Stopwatch.GetTimestamp();
        var faultEndedAt = (DateTimeOffset.UtcNow - origin).TotalMilliseconds;
        await Eventually.HoldsAsync(
            () => Task.FromResult(writer.Backend.SharedTier.PendingInvalidationCount == 0 && !writer.Backend.SharedTier.IsHanging && !reader.Backend.SharedTier.IsHanging),
            TimeSpan.FromSeconds(10),
            "the writer has replayed its pending removals and both nodes see Redis answering");
        var recovery = Stopwatch.GetElapsedTime(faultEnded);

        // Recovery is complete when each node whose subscription dropped has it confirmed again and has dropped its
        // local copies (until then it serves them as during the fault), and the reader hears the writer again.
        var resubscribed = fault == "kill-and-restart-with-persistence";
        await Eventually.HoldsAsync(
            () => Task.FromResult(writer.IsListening && reader.IsListening
                && (!resubscribed || (writer.Resets > resetsBefore.Item1 && reader.Resets > resetsBefore.Item2))),
            TimeSpan.FromSeconds(10),
            "both nodes' subscriptions are confirmed (and, after a reconnect, their local copies dropped)");
        var marker = Guid.NewGuid().ToString("N");
        await Eventually.HoldsAsync(
            async () =>
            {
                await writer.Channel.PublishAsync(CacheInvalidation.ForKey(marker));
                await Task.Delay(20);
                return reader.HasReceived(marker);
            },
            TimeSpan.FromSeconds(10),
            "the reader hears the writer again");
        var settled = Stopwatch.GetElapsedTime(faultEnded);
        Volatile.Write(ref recovered, 1);
        await Task.Delay(1_000);
        await stop.CancelAsync();
        await Task.WhenAll(callers);

        await using var check = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        var redis = new RedisBackend(check, new RedisBackendOptions { KeyPrefix = Prefix });
        var storedPrice = await redis.GetAsync<int>("price");
        output.WriteLine(
            $"{fault}: stale reads after recovery {staleAfterRecovery.Count}; worst lookup writer {worst["writer"]:F0} ms, reader {worst["reader"]:F0} ms, " +
            $"put {writeMs:F0} ms, invalidate {invalidateMs:F0} ms ({result}) against a {CallTimeout.TotalMilliseconds:F0} ms timeout; " +
            $"recovery {recovery.TotalMilliseconds:F0} ms (reader settled {settled.TotalMilliseconds:F0} ms); " +
            $"replayed {writer.Backend.SharedTier.ReplayedInvalidationCount}; Redis holds price {storedPrice}");

        // On both nodes: a reader whose pub/sub connection was re-established drops L1 only once its subscription is
        // confirmed, and keeps no copy read before that, so the writer's replayed removal cannot slip past it.
        if (!staleAfterRecovery.IsEmpty)
        {
            foreach (var (name, logs) in new[] { ("writer", writerLogs), ("reader", readerLogs) })
            {
                foreach (var record in logs.GetSnapshot())
                {
                    output.WriteLine($"DIAG {name} {(record.Timestamp - origin).TotalMilliseconds:F0} {record.Level} {record.Category} {record.Id.Id} {record.Message}");
                }
            }

            output.WriteLine($"DIAG fault {faultStartedAt:F0}..{faultEndedAt:F0}, recovered at {faultEndedAt + settled.TotalMilliseconds:F0}");
            output.WriteLine($"DIAG first stale: {string.Join(" | ", staleAfterRecovery.Take(3))}");
        }

        Assert.Empty(staleAfterRecovery);
        Assert.False(storedPrice.HasValue && storedPrice.Value != 2, $"Redis still holds price {storedPrice}");
        Assert.False((await redis.GetAsync<string>("gone")).HasValue);
        Assert.Equal(fault == "maxmemory-noeviction" ? CacheInvalidationResult.Removed : CacheInvalidationResult.Pending, result);
        Assert.Equal(1, Volatile.Read(ref changed));
    }

    private static async Task<Func<Task>> StartFaultAsync(string fault, RedisServer server, ConnectionMultiplexer admin)
    {
        var db = admin.GetDatabase();
        switch (fault)
        {
            case "debug-sleep":
                _ = db.ExecuteAsync("DEBUG", "SLEEP", FaultLength.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await Task.Delay(50);
                return () => Task.CompletedTask;
            case "client-pause":
                await db.ExecuteAsync("CLIENT", "PAUSE", ((long)FaultLength.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture), "ALL");
                return () => Task.CompletedTask;
            case "maxmemory-noeviction":
                await db.ExecuteAsync("CONFIG", "SET", "maxmemory-policy", "noeviction");
                await db.ExecuteAsync("CONFIG", "SET", "maxmemory", "1");
                return async () => await db.ExecuteAsync("CONFIG", "SET", "maxmemory", "0");
            default:
                server.Kill();
                return server.StartAsync;
        }
    }

    private static RedisNode Node(RedisServer server, string prefix, FakeLogCollector logs) => new(server, prefix, logs, new ResilientCacheBackendOptions
    {
        Timeout = CallTimeout,
        ProbeInterval = TimeSpan.FromMilliseconds(100),
        CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 3, BreakDuration = TimeSpan.FromMilliseconds(500) },
    });
}
