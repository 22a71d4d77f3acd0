using System.Collections.Concurrent;
using System.Diagnostics;
using Cacheweave.Backends;
using Cacheweave.Redis.Tests.Infrastructure;
using Cacheweave.Resilience;
using Xunit.Abstractions;

namespace Cacheweave.Redis.Tests;

/// <summary>redis-server dies (SIGKILL) under load and comes back on the same port.</summary>
public sealed class OutageTests(RedisServerFixture fixture, ITestOutputHelper output) : RedisTestBase(fixture)
{
    private static readonly ResilientCacheBackendOptions s_resilience = new()
    {
        Timeout = TimeSpan.FromMilliseconds(250),
        CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 3, BreakDuration = TimeSpan.FromMilliseconds(500) },
    };

    private enum Phase
    {
        Normal,
        Outage,
        Recovery,
    }

    [Fact]
    public async Task Killing_redis_under_load_reaches_no_caller_and_the_tier_recovers_by_itself()
    {
        var twoLevel = Track(new RedisNode(Fixture, Prefix + "two-level:", Logs, s_resilience));
        await using var plainConnection = Fixture.Connect();
        var plain = new ResilientCacheBackend(
            new RedisBackend(plainConnection, new RedisBackendOptions { KeyPrefix = Prefix + "plain:" }),
            s_resilience,
            Logger<ResilientCacheBackend>());
        for (var i = 0; i < 200; i++)
        {
            await GetOrCompute.CallAsync(twoLevel.Backend, $"item:{i}", ComputeAsync);
            await GetOrCompute.CallAsync(plain, $"item:{i}", ComputeAsync);
        }

        var phase = (int)Phase.Normal;
        var exceptions = new ConcurrentQueue<Exception>();
        var latencies = new ConcurrentDictionary<(string Cache, Phase Phase), ConcurrentQueue<TimeSpan>>();
        using var stop = new CancellationTokenSource();

        var callers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            (string Name, ICacheBackend Cache) target = worker % 2 == 0 ? ("two-level", twoLevel.Backend) : ("redis only", plain);
            var random = new Random(worker);
            while (!stop.IsCancellationRequested)
            {
                var key = $"item:{random.Next(200)}";
                var current = (Phase)Volatile.Read(ref phase);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var value = await GetOrCompute.CallAsync(target.Cache, key, ComputeAsync);
                    Assert.Equal(key.Length, value);
                }
                catch (Exception ex)
                {
                    exceptions.Enqueue(ex);
                }

                latencies.GetOrAdd((target.Name, current), _ => new()).Enqueue(Stopwatch.GetElapsedTime(started));

                // An L1 hit completes synchronously; without a yield, these loops would keep the pool's few threads to themselves.
                await Task.Yield();
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(1));
        Volatile.Write(ref phase, (int)Phase.Outage);
        Fixture.Server.Kill();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await Fixture.Server.StartAsync();
        Volatile.Write(ref phase, (int)Phase.Recovery);

        // The restarted server is empty: keys under a prefix mean that cache writes to Redis again.
        var twoLevelBack = await Eventually.HoldsAsync(() => HasKeysAsync(Prefix + "two-level:"), TimeSpan.FromSeconds(10), "the two-level cache writes to Redis again");
        var plainBack = await Eventually.HoldsAsync(() => HasKeysAsync(Prefix + "plain:"), TimeSpan.FromSeconds(10), "the Redis-only cache writes to Redis again");
        await stop.CancelAsync();
        await Task.WhenAll(callers);

        Assert.Empty(exceptions);
        Assert.NotEmpty(latencies[("two-level", Phase.Outage)]);
        Assert.NotEmpty(latencies[("redis only", Phase.Outage)]);
        Assert.Equal(CircuitState.Closed, twoLevel.Backend.SharedTier.CircuitBreaker.State);
        Assert.Equal(CircuitState.Closed, plain.CircuitBreaker.State);
        Assert.Contains(Logs.GetSnapshot(), log => log.Id.Id == 1201);

        output.WriteLine($"tier back in use after restart: two-level {twoLevelBack.TotalMilliseconds:F0} ms, redis-only {plainBack.TotalMilliseconds:F0} ms (restart to first key seen)");
        foreach (var ((cache, when), samples) in latencies.OrderBy(e => e.Key.Cache, StringComparer.Ordinal).ThenBy(e => e.Key.Phase))
        {
            output.WriteLine($"{cache,-10} {when,-8} caller latency {LatencySummary.Of(samples)}");
        }
    }

    private static async ValueTask<int> ComputeAsync(string key)
    {
        await Task.Yield();
        return key.Length;
    }

    private async Task<bool> HasKeysAsync(string prefix)
    {
        try
        {
            await using var probe = Fixture.Connect();
            return await new RedisBackend(probe, new RedisBackendOptions { KeyPrefix = prefix }).CountAsync() > 0;
        }
        catch (StackExchange.Redis.RedisConnectionException)
        {
            return false;
        }
    }
}
