using Cacheweave.Backends;
using Cacheweave.Interception;
using Cacheweave.Keys;
using Cacheweave.Tests.Interception;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace Cacheweave.Tests.Interception.Inheritance;

/// <summary>A method inherited from a base interface is keyed by the proxied service as well as by the declaring interface.</summary>
public sealed class InheritedMethodTests : IDisposable
{
    private static readonly System.Reflection.MethodInfo CountAsync = typeof(IStore).GetMethod(nameof(IStore.CountAsync))!;

    private readonly LruBackend _backend = new(100);
    private readonly IUserStore _users = Substitute.For<IUserStore>();
    private readonly IOrderStore _orders = Substitute.For<IOrderStore>();
    private readonly ServiceProvider _provider;

    public InheritedMethodTests()
    {
        _users.CountAsync().Returns(10);
        _orders.CountAsync().Returns(3);
        var services = new ServiceCollection();
        services.AddCacheweave(b => b.UseDefaultBackend(_ => new NonOwningBackend(_backend)));
        services.AddSingleton(_users).AddCachedProxy<IUserStore>();
        services.AddSingleton(_orders).AddCachedProxy<IOrderStore>();
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    private IUserStore Users => _provider.GetRequiredService<IUserStore>();

    private IOrderStore Orders => _provider.GetRequiredService<IOrderStore>();

    public void Dispose()
    {
        _provider.Dispose();
        _backend.Dispose();
    }

    [Fact]
    public async Task Two_services_inheriting_one_cached_method_do_not_share_entries()
    {
        Assert.Equal(10, await Users.CountAsync());
        Assert.Equal(3, await Orders.CountAsync());
        Assert.Equal(10, await Users.CountAsync());
        Assert.Equal(3, await Orders.CountAsync());

        await _users.Received(1).CountAsync();
        await _orders.Received(1).CountAsync();
        Assert.Equal(2, _backend.Count);
    }

    [Fact]
    public void The_identity_of_an_inherited_method_names_the_proxied_service_and_the_declaring_interface()
    {
        var identity = new CacheKeyBuilder(CountAsync, "IStore", typeof(IUserStore)).Identity;

        Assert.Equal(
            "Cacheweave.Tests.Interception.Inheritance.IUserStore/Cacheweave.Tests.Interception.Inheritance.IStore.CountAsync():System.Threading.Tasks.Task`1<System.Int32>",
            identity);
    }

    [Fact]
    public void Keys_of_an_inherited_method_differ_per_service_and_equal_the_plain_key_on_the_declaring_interface()
    {
        var plain = new CacheKeyBuilder(CountAsync, "IStore").Build([]);
        var onDeclaring = new CacheKeyBuilder(CountAsync, "IStore", typeof(IStore)).Build([]);
        var onUsers = new CacheKeyBuilder(CountAsync, "IStore", typeof(IUserStore)).Build([]);
        var onOrders = new CacheKeyBuilder(CountAsync, "IStore", typeof(IOrderStore)).Build([]);

        Assert.Equal(plain, onDeclaring);
        Assert.Equal(3, new[] { plain, onUsers, onOrders }.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task A_method_declared_on_the_proxied_interface_keeps_its_plain_key()
    {
        using var harness = new ProxyHarness<IUserService>();
        harness.Real.DescribeAsync(5).Returns("five");
        var method = typeof(IUserService).GetMethod(nameof(IUserService.DescribeAsync), [typeof(int)])!;

        await harness.Proxy.DescribeAsync(5);

        var plainKey = new CacheKeyBuilder(method, nameof(IUserService)).Build([5]);
        Assert.True((await harness.Backend.GetAsync<string>(plainKey)).HasValue);
    }

    [Fact]
    public async Task InvalidateAsync_through_the_derived_service_drops_exactly_the_key_its_proxy_uses()
    {
        await Users.CountAsync();
        await Orders.CountAsync();
        var invalidator = _provider.GetRequiredService<ICacheInvalidator>();

        Assert.True(await invalidator.InvalidateAsync<IUserStore>(s => s.CountAsync()));
        Assert.False(await invalidator.InvalidateAsync<IUserStore>(s => s.CountAsync()));
        await Users.CountAsync();
        await Orders.CountAsync();

        await _users.Received(2).CountAsync();
        await _orders.Received(1).CountAsync();
    }
}
