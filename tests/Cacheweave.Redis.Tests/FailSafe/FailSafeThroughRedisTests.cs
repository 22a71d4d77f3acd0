using Cacheweave.Backends;
using Cacheweave.DependencyInjection;
using Cacheweave.Redis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Cacheweave.Redis.Tests.FailSafe;

/// <summary>
/// Fail-safe with Redis as the backend, alone and as the shared tier: Redis keeps the entry for its physical lifetime
/// (TTL + fail-safe window, as PEXPIRE) and the envelope in the value carries the logical expiry, on the container's clock.
/// </summary>
public sealed class FailSafeThroughRedisTests(RedisServerFixture fixture) : RedisTestBase(fixture)
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Redis_keeps_the_entry_for_ttl_plus_fail_safe_and_the_stale_value_is_served_when_the_method_fails(bool twoLevel)
    {
        var (proxy, source, _) = await ContainerAsync(twoLevel);
        var first = await proxy.QuoteAsync("ACME");

        var key = Assert.Single(await KeysAsync());
        var physical = await Database.KeyTimeToLiveAsync(key);
        Assert.InRange(physical!.Value, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(70));

        _time.Advance(TimeSpan.FromSeconds(11));
        source.Failing = true;
        Assert.Equal(first, await proxy.QuoteAsync("ACME"));
        Assert.Equal(2, source.Runs);
    }

    [Fact]
    public async Task A_second_process_reads_the_logical_expiry_from_the_envelope_written_by_the_first()
    {
        var (proxyA, sourceA, _) = await ContainerAsync(twoLevel: false);
        var (proxyB, sourceB, _) = await ContainerAsync(twoLevel: false);
        var written = await proxyA.QuoteAsync("ACME");

        Assert.Equal(written, await proxyB.QuoteAsync("ACME"));
        Assert.Equal(0, sourceB.Runs);

        // Logically expired for both (they share the clock); B runs its method, and when that fails serves A's value.
        _time.Advance(TimeSpan.FromSeconds(11));
        sourceB.Failing = true;
        Assert.Equal(written, await proxyB.QuoteAsync("ACME"));
        Assert.Equal(1, sourceB.Runs);
        Assert.Equal(1, sourceA.Runs);
    }

    private async Task<(IQuoteSource Proxy, FlakyQuoteSource Source, ServiceProvider Provider)> ContainerAsync(bool twoLevel)
    {
        var source = new FlakyQuoteSource();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<IQuoteSource>(source);
        services.AddCacheweave(b => b.UseRedis(Fixture.Server.Configuration, twoLevel, o => o.KeyPrefix = Prefix));
        services.AddCachedProxy<IQuoteSource>();
        var provider = Track(services.BuildServiceProvider());
        await BackgroundConnection.ConnectedAsync(provider.GetRequiredService<ICacheBackend>());
        return (provider.GetRequiredService<IQuoteSource>(), source, provider);
    }

    private async Task<List<RedisKey>> KeysAsync()
    {
        var keys = new List<RedisKey>();
        await foreach (var key in Multiplexer.GetServer(Fixture.Server.Configuration).KeysAsync(pattern: Prefix + "*"))
        {
            keys.Add(key);
        }

        return keys;
    }
}
