using System.Collections.Concurrent;
using System.Diagnostics;
using Cacheweave.Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Cacheweave.Redis.Tests;

/// <summary>Numbers for the documentation, printed to the test output; the assertions are correctness bounds only.</summary>
public sealed class MeasurementTests(RedisServerFixture fixture, ITestOutputHelper output) : RedisTestBase(fixture)
{
    [Fact]
    public async Task Each_of_a_thousand_invalidations_reaches_the_other_node_within_a_second()
    {
        const int invalidations = 1_000;
        var a = Track(new RedisNode(Fixture, Prefix, Logs));
        var b = Track(new RedisNode(Fixture, Prefix, Logs));
        var arrivals = new ConcurrentDictionary<string, TaskCompletionSource<long>>();
        using var probe = b.Channel.Subscribe(message =>
        {
            // B's own two-level backend subscribed first, so its L1 copy is already gone when this runs.
            if (message.Key is { } key && arrivals.TryGetValue(key, out var arrival))
            {
                arrival.TrySetResult(Stopwatch.GetTimestamp());
            }

            return ValueTask.CompletedTask;
        });
        await a.Backend.PutAsync("warm-up", 0);
        await b.WaitForMessagesAsync(1);

        var delays = new List<TimeSpan>(invalidations);
        for (var i = 0; i < invalidations; i++)
        {
            var key = $"k{i}";
            var arrival = arrivals[key] = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            var sent = Stopwatch.GetTimestamp();
            await a.Backend.PutAsync(key, i);
            var received = await arrival.Task.WaitAsync(TimeSpan.FromSeconds(1));
            Assert.False((await b.Local.GetAsync<int>(key)).HasValue);
            delays.Add(Stopwatch.GetElapsedTime(sent, received));
        }

        var summary = LatencySummary.Of(delays);
        Assert.Equal(invalidations, summary.Count);
        Assert.True(summary.MaxMs < 1_000, $"the slowest invalidation took {summary.MaxMs} ms");
        output.WriteLine($"invalidation delay, put on A (L2 write + publish) to B's L1 dropped: {summary}");
    }

    [Fact]
    public async Task Read_latency_of_each_tier()
    {
        const int reads = 5_000;
        var node = Track(new RedisNode(Fixture, Prefix, Logs));
        await node.Backend.PutAsync("k", new Sample(42, "forty-two", [1, 2, 3]));

        var fromRedis = new List<TimeSpan>(reads);
        var fromLocal = new List<TimeSpan>(reads);
        for (var i = 0; i < reads; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var shared = await node.Redis.GetWithExpiryAsync<Sample>("k");
            fromRedis.Add(Stopwatch.GetElapsedTime(started));
            started = Stopwatch.GetTimestamp();
            var local = await node.Backend.GetAsync<Sample>("k");
            fromLocal.Add(Stopwatch.GetElapsedTime(started));
            Assert.Equal(42, shared.Result.Value!.Id);
            Assert.Equal(42, local.Value!.Id);
        }

        output.WriteLine($"read of a small record from Redis (GET + PTTL script, decode): {LatencySummary.Of(fromRedis)}");
        output.WriteLine($"read of the same record from the two-level backend's L1:       {LatencySummary.Of(fromLocal)}");
    }

    public sealed record Sample(int Id, string Name, int[] Values);
}
