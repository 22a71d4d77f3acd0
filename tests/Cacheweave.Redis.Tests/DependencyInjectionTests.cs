using Cacheweave.Backends;
using Cacheweave.DependencyInjection;
using Cacheweave.Interception;
using Cacheweave.Redis.Tests.Infrastructure;
using Cacheweave.Resilience;
using Cacheweave.Tiers;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Cacheweave.Redis.Tests;

public sealed class DependencyInjectionTests(RedisServerFixture fixture) : RedisTestBase(fixture)
{
    private ServiceProvider Container(Action<CacheweaveBuilder> configure, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(new PriceService());
        services.AddSingleton<IPriceService>(provider => provider.GetRequiredService<PriceService>());
        more?.Invoke(services);
        services.AddCacheweave(configure);
        services.AddCachedProxy<IPriceService>();
        return Track(services.BuildServiceProvider());
    }

    [Fact]
    public async Task UseRedis_with_a_configuration_string_makes_a_fault_tolerant_redis_backend_the_default()
    {
        var provider = Container(b => b.UseRedis(Fixture.Server.Configuration, configure: o => o.KeyPrefix = Prefix));

        var backend = await BackgroundConnection.ConnectedAsync(provider.GetRequiredService<ICacheBackend>());
        await backend.PutAsync("k", "v");

        var resilient = Assert.IsType<ResilientCacheBackend>(backend);
        Assert.Equal(Prefix, (await Assert.IsType<ConnectingRedisBackend>(resilient.InnerBackend).Connected).KeyPrefix);
        Assert.True(await Database.KeyExistsAsync(Prefix + "k"));
    }

    [Fact]
    public async Task The_builder_factory_alone_creates_the_backend()
    {
        var builder = new CacheweaveBuilder(new ServiceCollection()).UseRedis(Fixture.Server.Configuration, twoLevel: true, o => o.KeyPrefix = Prefix);
        await using var provider = builder.Services.BuildServiceProvider();

        await using var backend = Assert.IsType<TwoLevelBackend>(builder.DefaultBackendFactory!(provider));
        await BackgroundConnection.ConnectedAsync(backend);
        await backend.PutAsync("k", 1);

        Assert.True(await Database.KeyExistsAsync(Prefix + "k"));
        Assert.IsType<LruTtlBackend>(backend.LocalTier);
    }

    [Fact]
    public async Task Cached_proxies_in_two_containers_share_results_and_invalidations()
    {
        var a = Container(b => b.UseRedis(Fixture.Server.Configuration, twoLevel: true, o => o.KeyPrefix = Prefix));
        var b = Container(b => b.UseRedis(Fixture.Server.Configuration, twoLevel: true, o => o.KeyPrefix = Prefix));
        await BackgroundConnection.ConnectedAsync(a.GetRequiredService<ICacheBackend>());
        await BackgroundConnection.ConnectedAsync(b.GetRequiredService<ICacheBackend>());
        var proxyA = a.GetRequiredService<IPriceService>();
        var proxyB = b.GetRequiredService<IPriceService>();
        var realA = a.GetRequiredService<PriceService>();
        var realB = b.GetRequiredService<PriceService>();

        Assert.Equal(300, await proxyA.GetPriceAsync("tea"));
        Assert.Equal(300, await proxyB.GetPriceAsync("tea"));
        Assert.Equal(300, await proxyB.GetPriceAsync("tea"));
        Assert.Equal((1, 0), (realA.Runs, realB.Runs));

        Assert.True(await a.GetRequiredService<ICacheInvalidator>().InvalidateAsync<IPriceService>(s => s.GetPriceAsync("tea")));
        var localOfB = ((TwoLevelBackend)b.GetRequiredService<ICacheBackend>()).LocalTier;
        await Eventually.HoldsAsync(async () => await localOfB.CountAsync() == 0, TimeSpan.FromSeconds(1), "B drops its copy");

        Assert.Equal(300, await proxyB.GetPriceAsync("tea"));
        Assert.Equal((1, 1), (realA.Runs, realB.Runs));
    }

    [Fact]
    public async Task UseRedis_without_a_string_uses_the_registered_multiplexer_and_leaves_it_open()
    {
        var multiplexer = Multiplexer;
        var provider = new ServiceCollection()
            .AddSingleton<IConnectionMultiplexer>(multiplexer)
            .AddCacheweave(b => b.UseRedis(twoLevel: true, o => o.KeyPrefix = Prefix))
            .BuildServiceProvider();

        var backend = Assert.IsType<TwoLevelBackend>(provider.GetRequiredService<ICacheBackend>());
        await backend.PutAsync("k", 1);
        await provider.DisposeAsync();

        Assert.True(multiplexer.IsConnected);
        Assert.True(await Database.KeyExistsAsync(Prefix + "k"));
    }

    [Fact]
    public void UseRedis_without_a_string_or_a_registered_multiplexer_says_what_to_do()
    {
        using var provider = new ServiceCollection().AddCacheweave(b => b.UseRedis()).BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(provider.GetRequiredService<ICacheBackend>);

        Assert.Contains("IConnectionMultiplexer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_the_container_closes_the_connection_it_opened()
    {
        var provider = new ServiceCollection()
            .AddCacheweave(b => b.UseRedis(Fixture.Server.Configuration, configure: o => o.KeyPrefix = Prefix))
            .BuildServiceProvider();
        var redis = await ((ConnectingRedisBackend)((ResilientCacheBackend)provider.GetRequiredService<ICacheBackend>()).InnerBackend).Connected;
        Assert.True(redis.Multiplexer.IsConnected);

        await provider.DisposeAsync();

        Assert.False(redis.Multiplexer.IsConnected);
    }

    [Fact]
    public async Task A_named_redis_backend_serves_the_methods_that_ask_for_it()
    {
        var provider = new ServiceCollection()
            .AddCacheweave(b => b.AddRedisBackend("shared", Fixture.Server.Configuration, configure: o => o.KeyPrefix = Prefix))
            .BuildServiceProvider();
        Track(provider);

        var backend = await BackgroundConnection.ConnectedAsync(provider.GetRequiredKeyedService<ICacheBackend>("shared"));
        await backend.PutAsync("k", 1);

        Assert.IsType<ResilientCacheBackend>(backend);
        Assert.IsNotType<ResilientCacheBackend>(provider.GetRequiredService<ICacheBackend>());
        Assert.True(await Database.KeyExistsAsync(Prefix + "k"));
    }

    [Theory]
    [InlineData("KeyPrefix")]
    [InlineData("Timeout")]
    [InlineData("FailureThreshold")]
    [InlineData("LocalCapacity")]
    [InlineData("MaxLocalTimeToLive")]
    public void A_bad_setting_fails_when_the_tier_is_configured_and_names_the_setting(string setting)
    {
        var builder = new CacheweaveBuilder(new ServiceCollection());

        var error = Assert.ThrowsAny<ArgumentException>(() => builder.UseRedis("127.0.0.1:1", twoLevel: true, o =>
        {
            switch (setting)
            {
                case "KeyPrefix": o.KeyPrefix = ""; break;
                case "Timeout": o.Timeout = TimeSpan.Zero; break;
                case "FailureThreshold": o.CircuitBreaker.FailureThreshold = 0; break;
                case "LocalCapacity": o.LocalCapacity = 0; break;
                default: o.MaxLocalTimeToLive = TimeSpan.FromSeconds(-1); break;
            }
        }));

        Assert.Equal(setting, error.ParamName);
        Assert.Null(builder.DefaultBackendFactory);
    }

    [Fact]
    public async Task With_redis_unreachable_resolving_and_the_first_call_return_at_once_and_the_tier_is_used_once_redis_starts()
    {
        await using var server = await RedisServer.StartAsync(RedisServer.BinaryPath ?? Fixture.Server.Binary);
        server.Kill();
        var provider = Container(b => b.UseRedis($"{server.Configuration},connectTimeout=5000", configure: o =>
        {
            o.KeyPrefix = Prefix;
            o.CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 3, BreakDuration = TimeSpan.FromMilliseconds(200) };
        }));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var proxy = provider.GetRequiredService<IPriceService>();
        var first = await proxy.GetPriceAsync("tea");
        var elapsed = watch.Elapsed;

        Assert.Equal(300, first);
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"resolving and the first call took {elapsed.TotalMilliseconds:F0} ms with a 5,000 ms connect timeout");
        await server.StartAsync();
        await using var check = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        await Eventually.HoldsAsync(
            async () =>
            {
                await proxy.GetPriceAsync("tea");
                return await new RedisBackend(check, new RedisBackendOptions { KeyPrefix = Prefix }).CountAsync() > 0;
            },
            TimeSpan.FromSeconds(30),
            "the tier connects in the background and cached calls write to Redis");
    }
}
