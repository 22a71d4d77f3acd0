using Cacheweave.Backends;
using Cacheweave.Interception;
using Cacheweave.Tiers;
using Microsoft.Extensions.DependencyInjection;

namespace Cacheweave.Tests.Tags;

public sealed class TaggedCallTests
{
    public static TheoryData<string> InMemoryBackends => ["lru", "lfu", "ttl", "lruttl"];

    [Theory]
    [MemberData(nameof(InMemoryBackends))]
    public async Task Invalidating_a_tag_drops_every_entry_carrying_it_and_nothing_else(string kind)
    {
        using var harness = new CatalogHarness(Backend(kind));
        var proxy = harness.Proxy;
        var filter = new OrderFilter(7, "eu", DateTime.UnixEpoch);
        var user1 = await proxy.GetUserAsync(1);
        var user2 = await proxy.GetUserAsync(2);
        var search1 = await proxy.SearchAsync(1, filter);
        var tenant7 = proxy.GetTenant(7);
        var untagged1 = await proxy.GetUntaggedAsync(1);

        Assert.Equal(CacheInvalidationResult.Removed, await harness.Invalidator.InvalidateTagAsync("user:1"));

        Assert.NotEqual(user1, await proxy.GetUserAsync(1));
        Assert.NotEqual(search1, await proxy.SearchAsync(1, filter));
        Assert.Equal(user2, await proxy.GetUserAsync(2));
        Assert.Equal(tenant7, proxy.GetTenant(7));
        Assert.Equal(untagged1, await proxy.GetUntaggedAsync(1));
    }

    [Fact]
    public async Task An_entry_with_two_tags_goes_with_either_of_them()
    {
        using var harness = new CatalogHarness();
        var proxy = harness.Proxy;
        var filter = new OrderFilter(7, null, DateTime.UnixEpoch);
        var before = await proxy.SearchAsync(1, filter);

        await harness.Invalidator.InvalidateTagAsync("tenant:7");
        var afterTenant = await proxy.SearchAsync(1, filter);
        await harness.Invalidator.InvalidateTagsAsync(["user:1", "unrelated"]);
        var afterUser = await proxy.SearchAsync(1, filter);

        Assert.NotEqual(before, afterTenant);
        Assert.NotEqual(afterTenant, afterUser);
        Assert.Equal(afterUser, await proxy.SearchAsync(1, filter));
    }

    [Fact]
    public async Task A_tag_nobody_used_is_not_found_and_drops_nothing()
    {
        using var harness = new CatalogHarness();
        var user = await harness.Proxy.GetUserAsync(1);

        Assert.Equal(CacheInvalidationResult.NotFound, await harness.Invalidator.InvalidateTagAsync("user:2"));
        Assert.Equal(user, await harness.Proxy.GetUserAsync(1));
    }

    [Fact]
    public async Task A_versioned_tagged_method_drops_its_entries_by_tag_and_by_version()
    {
        using var harness = new CatalogHarness();
        var proxy = harness.Proxy;
        var first = await proxy.GetVersionedAsync(1);
        Assert.Equal(first, await proxy.GetVersionedAsync(1));

        await harness.Invalidator.InvalidateTagAsync("user:1");
        var second = await proxy.GetVersionedAsync(1);
        await harness.Invalidator.InvalidateAllAsync<ICatalog>(s => s.GetVersionedAsync(0));
        var third = await proxy.GetVersionedAsync(1);

        Assert.Equal([first, second, third], new[] { first, second, third }.Distinct());
        Assert.Equal(third, await proxy.GetVersionedAsync(1));
    }

    [Fact]
    public async Task InvalidateAsync_of_one_tagged_call_computes_the_key_the_proxy_uses()
    {
        using var harness = new CatalogHarness();
        var user = await harness.Proxy.GetUserAsync(1);

        Assert.Equal(CacheInvalidationResult.Removed, await harness.Invalidator.InvalidateWithResultAsync<ICatalog>(s => s.GetUserAsync(1)));
        Assert.NotEqual(user, await harness.Proxy.GetUserAsync(1));
    }

    [Fact]
    public async Task GetKey_refuses_a_tagged_method_and_GetKeyAsync_returns_the_key_the_proxy_uses()
    {
        using var harness = new CatalogHarness();
        var keys = harness.Provider.GetRequiredService<ICacheKeyProvider>();
        Assert.Null(await keys.GetKeyAsync<ICatalog>(s => s.GetUserAsync(1)));
        await harness.Proxy.GetUserAsync(1);

        Assert.Throws<InvalidOperationException>(() => keys.GetKey<ICatalog>(s => s.GetUserAsync(1)));
        var key = await keys.GetKeyAsync<ICatalog>(s => s.GetUserAsync(1));
        Assert.True((await harness.Backend.GetAsync<string>(key!)).HasValue);
    }

    [Fact]
    public async Task Tag_versions_live_in_every_backend_a_tagged_method_uses()
    {
        var defaultBackend = new LruBackend(100);
        var named = new LruBackend(100);
        var services = new ServiceCollection();
        services.AddCacheweave(b => b.UseDefaultBackend(_ => defaultBackend).AddBackend("side", _ => named));
        services.AddSingleton<ICatalog>(new Catalog());
        services.AddSingleton<ISideCatalog>(new SideCatalog());
        services.AddCachedProxy<ICatalog>();
        services.AddCachedProxy<ISideCatalog>();
        await using var provider = services.BuildServiceProvider();
        var side = provider.GetRequiredService<ISideCatalog>();
        var main = provider.GetRequiredService<ICatalog>();
        var sideBefore = await side.GetAsync(1);
        var mainBefore = await main.GetUserAsync(1);

        await provider.GetRequiredService<ICacheInvalidator>().InvalidateTagAsync("user:1");

        Assert.NotEqual(sideBefore, await side.GetAsync(1));
        Assert.NotEqual(mainBefore, await main.GetUserAsync(1));
        Assert.True((await named.GetAsync<long>("cw:tag:user:1")).HasValue);
    }

    [Fact]
    public async Task ClearAsync_empties_the_default_or_the_named_backend()
    {
        var defaultBackend = new LruBackend(100);
        var named = new LruBackend(100);
        var services = new ServiceCollection();
        services.AddCacheweave(b => b.UseDefaultBackend(_ => defaultBackend).AddBackend("side", _ => named));
        await using var provider = services.BuildServiceProvider();
        await defaultBackend.PutAsync("a", 1);
        await named.PutAsync("b", 2);
        var invalidator = provider.GetRequiredService<ICacheInvalidator>();

        await invalidator.ClearAsync("side");
        Assert.Equal(0, named.Count);
        Assert.Equal(1, defaultBackend.Count);
        await invalidator.ClearAsync();
        Assert.Equal(0, defaultBackend.Count);
        await Assert.ThrowsAsync<ArgumentException>("backendName", () => invalidator.ClearAsync("nope").AsTask());
    }

    [Fact]
    public async Task An_empty_tag_is_refused_naming_the_parameter()
    {
        using var harness = new CatalogHarness();

        await Assert.ThrowsAsync<ArgumentException>("tag", () => harness.Invalidator.InvalidateTagAsync("").AsTask());
        await Assert.ThrowsAsync<ArgumentException>("tags", () => harness.Invalidator.InvalidateTagsAsync(["ok", ""]).AsTask());
        await Assert.ThrowsAsync<ArgumentNullException>("tags", () => harness.Invalidator.InvalidateTagsAsync(null!).AsTask());
    }

    private static InMemoryBackend Backend(string kind) => kind switch
    {
        "lru" => new LruBackend(10_000),
        "lfu" => new LfuBackend(10_000),
        "ttl" => new TtlBackend(TimeSpan.FromHours(1), 10_000),
        _ => new LruTtlBackend(10_000, TimeSpan.FromHours(1)),
    };
}
