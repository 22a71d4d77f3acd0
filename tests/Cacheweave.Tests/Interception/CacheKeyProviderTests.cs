using Cacheweave.Interception;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace Cacheweave.Tests.Interception;

public sealed class CacheKeyProviderTests : IDisposable
{
    private readonly RecordingBackend _backend = new();
    private readonly ServiceProvider _provider;
    private readonly IKeyProviderStore _real = Substitute.For<IKeyProviderStore>();

    public CacheKeyProviderTests()
    {
        _real.NameAsync(Arg.Any<int>(), Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(ci => $"{ci.ArgAt<int>(0)}@{ci.ArgAt<string>(1)}");
        _real.SearchAsync(Arg.Any<string>()).Returns(ci => "found " + ci.Arg<string>());
        _real.CountAsync(Arg.Any<string>()).Returns(ci => ci.Arg<string>().Length);
        var services = new ServiceCollection();
        services.AddCacheweave(b => b.UseDefaultBackend(_ => new NonOwningBackend(_backend)));
        services.AddSingleton(_real);
        services.AddCachedProxy<IKeyProviderStore>();
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Proxy = _provider.GetRequiredService<IKeyProviderStore>();
        Keys = _provider.GetRequiredService<ICacheKeyProvider>();
    }

    private IKeyProviderStore Proxy { get; }

    private ICacheKeyProvider Keys { get; }

    public void Dispose()
    {
        _provider.Dispose();
        _backend.Dispose();
    }

    [Fact]
    public async Task The_key_of_a_plain_method_is_the_key_the_proxy_writes()
    {
        await Proxy.NameAsync(42, "eu-west");

        var written = Assert.Single(_backend.Writes);
        var region = "eu-west";
        Assert.Equal(written.Key, Keys.GetKey<IKeyProviderStore>(s => s.NameAsync(42, region, default)));
        Assert.Equal(written.Key, await Keys.GetKeyAsync<IKeyProviderStore>(s => s.NameAsync(40 + 2, "eu-" + "west", CancellationToken.None)));
        Assert.StartsWith("cw:store:", written.Key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_key_of_an_inherited_method_is_the_key_the_proxy_writes()
    {
        Assert.Equal(5, await Proxy.CountAsync("shelf"));

        var written = Assert.Single(_backend.Writes);
        Assert.Equal(written.Key, Keys.GetKey<IKeyProviderStore>(s => s.CountAsync("shelf")));
    }

    [Fact]
    public async Task Keys_of_different_arguments_differ_and_each_is_what_the_proxy_wrote()
    {
        for (var id = 0; id < 50; id++)
        {
            await Proxy.NameAsync(id, "us-east");
        }

        var written = _backend.Writes.Select(w => w.Key).ToArray();
        var provided = Enumerable.Range(0, 50).Select(id => Keys.GetKey<IKeyProviderStore>(s => s.NameAsync(id, "us-east", default))).ToArray();
        Assert.Equal(written, provided);
        Assert.Equal(50, provided.Distinct().Count());
    }

    [Fact]
    public async Task The_key_of_a_versioned_method_is_read_with_its_current_version()
    {
        Assert.Null(await Keys.GetKeyAsync<IKeyProviderStore>(s => s.SearchAsync("ann")));

        await Proxy.SearchAsync("ann");

        var written = Assert.Single(_backend.Writes, w => w.Type == typeof(string));
        Assert.Equal(written.Key, await Keys.GetKeyAsync<IKeyProviderStore>(s => s.SearchAsync("ann")));
    }

    [Fact]
    public void The_synchronous_key_of_a_versioned_method_is_refused_naming_the_method()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Keys.GetKey<IKeyProviderStore>(s => s.SearchAsync("ann")));

        Assert.Contains(nameof(IKeyProviderStore.SearchAsync), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ICacheKeyProvider.GetKeyAsync), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_service_without_a_cached_proxy_is_refused_naming_the_service()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Keys.GetKey<IUncachedService>(s => s.ValueAsync(1)));

        Assert.Contains(typeof(IUncachedService).FullName!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_method_without_Cached_is_refused_naming_the_method()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await Keys.GetKeyAsync<IKeyProviderStore>(s => s.Describe(1)));

        Assert.Contains($"{typeof(IKeyProviderStore).FullName}.{nameof(IKeyProviderStore.Describe)}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lambda_that_is_not_a_call_on_its_parameter_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Keys.GetKey<IKeyProviderStore>(s => Proxy.NameAsync(1, "x", default)));
    }

    [Fact]
    public async Task The_provider_is_registered_by_AddCachedProxy_alone()
    {
        var services = new ServiceCollection();
        services.AddSingleton(_real);
        services.AddCachedProxy<IKeyProviderStore>();
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IKeyProviderStore>().NameAsync(7, "ap-south");

        var keys = provider.GetRequiredService<ICacheKeyProvider>();
        var backend = provider.GetRequiredService<Cacheweave.Backends.ICacheBackend>();
        var key = keys.GetKey<IKeyProviderStore>(s => s.NameAsync(7, "ap-south", default));
        Assert.True((await backend.GetAsync<string>(key)).TryGetValue(out var value));
        Assert.Equal("7@ap-south", value);
    }
}
