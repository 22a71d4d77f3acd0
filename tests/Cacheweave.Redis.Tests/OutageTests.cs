using System.Collections.Concurrent;
using System.Diagnostics;
using Cacheweave.Backends;
using Cacheweave.DependencyInjection;
using Cacheweave.Redis.Tests.Infrastructure;
using Cacheweave.Resilience;
using Cacheweave.Tiers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Xunit.Abstractions;

namespace Cacheweave.Redis.Tests;

/// <summary>redis-server dies (SIGKILL) under load from cached proxies and comes back on the same port.</summary>
public sealed class OutageTests(RedisServerFixture fixture, ITestOutputHelper output) : RedisTestBase(fixture)
{
    private enum Phase
    {
        Normal,
        Outage,
        Recovery,
    }

    private ServiceProvider Container(string prefix, bool twoLevel)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(new LoggerFactory([new FakeLoggerProvider(Logs)]));
        services.AddSingleton(new PriceService());
        services.AddSingleton<IPriceService>(provider => provider.GetRequiredService<PriceService>());
        services.AddCacheweave(b => b.UseRedis(Fixture.Server.Configuration, twoLevel, o =>
        {
            o.KeyPrefix = prefix;
            o.Timeout = TimeSpan.FromMilliseconds(250);
            o.CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 3, BreakDuration = TimeSpan.FromMilliseconds(500) };
        }));
        services.AddCachedProxy<IPriceService>();
        return Track(services.BuildServiceProvider());
    }

    [Fact]
    public async Task Killing_redis_under_load_reaches_no_caller_and_the_tier_recovers_by_itself()
    {
        var twoLevel = Container(Prefix + "two-level:", twoLevel: true);
        var redisOnly = Container(Prefix + "redis-only:", twoLevel: false);
        (string Name, IPriceService Proxy)[] targets =
        [
            ("two-level", twoLevel.GetRequiredService<IPriceService>()),
            ("redis-only", redisOnly.GetRequiredService<IPriceService>()),
        ];
        await BackgroundConnection.ConnectedAsync(twoLevel.GetRequiredService<ICacheBackend>());
        await BackgroundConnection.ConnectedAsync(redisOnly.GetRequiredService<ICacheBackend>());
        foreach (var (_, proxy) in targets)
        {
            for (var i = 0; i < 200; i++)
            {
                await proxy.GetPriceAsync($"item:{i}");
            }
        }

        var phase = (int)Phase.Normal;
        var exceptions = new ConcurrentQueue<Exception>();
        var latencies = new ConcurrentDictionary<(string Cache, Phase Phase), ConcurrentQueue<TimeSpan>>();
        using var stop = new CancellationTokenSource();
        var callers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var (name, proxy) = targets[worker % 2];
            var random = new Random(worker);
            while (!stop.IsCancellationRequested)
            {
                var sku = $"item:{random.Next(200)}";
                var current = (Phase)Volatile.Read(ref phase);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    Assert.Equal(sku.Length * 100, await proxy.GetPriceAsync(sku));
                }
                catch (Exception ex)
                {
                    exceptions.Enqueue(ex);
                }

                latencies.GetOrAdd((name, current), _ => new()).Enqueue(Stopwatch.GetElapsedTime(started));

                // An L1 hit completes synchronously; without a yield these loops would keep the pool's few threads to themselves.
                await Task.Yield();
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(1));
        Volatile.Write(ref phase, (int)Phase.Outage);
        Fixture.Server.Kill();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await Fixture.Server.StartAsync();
        Volatile.Write(ref phase, (int)Phase.Recovery);

        // The restarted server is empty: keys under a prefix mean that container's cache writes to Redis again. The
        // callers keep running meanwhile: a circuit only moves on when a call asks it to. On a loaded machine a call can
        // time out after the restart too, so the condition is "closed again", not "closed at one instant".
        var twoLevelShared = ((TwoLevelBackend)twoLevel.GetRequiredService<ICacheBackend>()).SharedTier;
        var redisOnlyShared = (ResilientCacheBackend)redisOnly.GetRequiredService<ICacheBackend>();
        // Two-level callers hit L1 almost always (it keeps what they computed during the outage), so a write of its own
        // shows that the two-level cache reaches Redis again.
        var twoLevelBackend = twoLevel.GetRequiredService<ICacheBackend>();
        var twoLevelBack = await Eventually.HoldsAsync(
            async () =>
            {
                await twoLevelBackend.PutAsync("after-restart", 1);
                return await HasKeysAsync(Prefix + "two-level:") && InUse(twoLevelShared);
            },
            TimeSpan.FromSeconds(30),
            "the two-level cache writes to Redis again");
        var redisOnlyBack = await Eventually.HoldsAsync(
            async () => await HasKeysAsync(Prefix + "redis-only:") && InUse(redisOnlyShared), TimeSpan.FromSeconds(30), "the Redis-only cache writes to Redis again");
        await stop.CancelAsync();
        await Task.WhenAll(callers);

        Assert.Empty(exceptions);
        Assert.NotEmpty(latencies[("two-level", Phase.Outage)]);
        Assert.NotEmpty(latencies[("redis-only", Phase.Outage)]);
        Assert.Contains(Logs.GetSnapshot(), log => log.Id.Id == 1201);

        output.WriteLine($"tier back in use after the restart (restart to first new key seen in Redis): two-level {twoLevelBack.TotalMilliseconds:F0} ms, redis-only {redisOnlyBack.TotalMilliseconds:F0} ms");
        foreach (var ((cache, when), samples) in latencies.OrderBy(e => e.Key.Cache, StringComparer.Ordinal).ThenBy(e => e.Key.Phase))
        {
            output.WriteLine($"{cache,-10} {when,-8} caller latency {LatencySummary.Of(samples)}");
        }

        output.WriteLine($"real method runs: two-level {twoLevel.GetRequiredService<PriceService>().Runs:N0}, redis-only {redisOnly.GetRequiredService<PriceService>().Runs:N0}");
    }

    private static bool InUse(ResilientCacheBackend shared) =>
        shared.ReadCircuit.State == CircuitState.Closed && shared.WriteCircuit.State == CircuitState.Closed && !shared.IsHanging;

    private async Task<bool> HasKeysAsync(string prefix)
    {
        try
        {
            await using var probe = Fixture.Connect();
            return await new RedisBackend(probe, new RedisBackendOptions { KeyPrefix = prefix }).CountAsync() > 0;
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisConnectionException or StackExchange.Redis.RedisTimeoutException)
        {
            return false;
        }
    }
}
