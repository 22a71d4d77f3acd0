using Cacheweave.Backends;
using Cacheweave.Interception;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace Cacheweave.Tests.DependencyInjection;

public sealed class CachedProxyRegistrationTests
{
    private static readonly ServiceProviderOptions Strict = new() { ValidateOnBuild = true, ValidateScopes = true };

    [Fact]
    public async Task AddCachedProxy_with_implementation_registers_and_caches()
    {
        var services = new ServiceCollection().AddCachedProxy<ICounter, Counter>();
        using var provider = services.BuildServiceProvider(Strict);
        var counter = provider.GetRequiredService<ICounter>();

        Assert.Equal(1, await counter.NextAsync(5));
        Assert.Equal(1, await counter.NextAsync(5));
        Assert.Equal(1, counter.Executions);
    }

    [Fact]
    public void AddCachedProxy_without_AddCacheweave_uses_a_default_TinyLfu_backend_of_ten_thousand_entries()
    {
        var services = new ServiceCollection().AddCachedProxy<ICounter, Counter>();
        using var provider = services.BuildServiceProvider(Strict);

        var backend = Assert.IsType<TinyLfuBackend>(provider.GetRequiredService<ICacheBackend>());
        Assert.Equal(10_000, backend.Capacity);
    }

    [Fact]
    public async Task UseDefaultBackend_replaces_the_default_backend()
    {
        using var backend = new LfuBackend(10);
        var services = new ServiceCollection()
            .AddCacheweave(b => b.UseDefaultBackend(_ => backend))
            .AddCachedProxy<ICounter, Counter>();
        using var provider = services.BuildServiceProvider(Strict);

        await provider.GetRequiredService<ICounter>().NextAsync(1);

        Assert.Equal(1, backend.Count);
    }

    [Fact]
    public async Task AddCacheweave_after_AddCachedProxy_still_configures_the_backend()
    {
        using var backend = new LruBackend(10);
        var services = new ServiceCollection()
            .AddCachedProxy<ICounter, Counter>()
            .AddCacheweave(b => b.UseDefaultBackend(_ => backend));
        using var provider = services.BuildServiceProvider(Strict);

        await provider.GetRequiredService<ICounter>().NextAsync(1);

        Assert.Equal(1, backend.Count);
    }

    [Fact]
    public async Task Decorating_keeps_a_scoped_lifetime()
    {
        var services = new ServiceCollection().AddScoped<ICounter, Counter>().AddCachedProxy<ICounter>();
        using var provider = services.BuildServiceProvider(Strict);

        using var scopeA = provider.CreateScope();
        using var scopeB = provider.CreateScope();
        var a1 = scopeA.ServiceProvider.GetRequiredService<ICounter>();
        var a2 = scopeA.ServiceProvider.GetRequiredService<ICounter>();
        var b = scopeB.ServiceProvider.GetRequiredService<ICounter>();

        Assert.Same(a1, a2);
        Assert.NotSame(a1, b);
        Assert.Equal(1, await a1.NextAsync(1));
        Assert.Equal(1, await b.NextAsync(1)); // another scope's service, the same shared cache entry
        Assert.Equal(0, b.Executions);
    }

    [Fact]
    public void Decorating_keeps_a_transient_lifetime()
    {
        var services = new ServiceCollection().AddTransient<ICounter, Counter>().AddCachedProxy<ICounter>();
        using var provider = services.BuildServiceProvider(Strict);

        Assert.NotSame(provider.GetRequiredService<ICounter>(), provider.GetRequiredService<ICounter>());
    }

    [Fact]
    public void Decorating_keeps_a_singleton_lifetime()
    {
        var services = new ServiceCollection().AddSingleton<ICounter, Counter>().AddCachedProxy<ICounter>();
        using var provider = services.BuildServiceProvider(Strict);

        Assert.Same(provider.GetRequiredService<ICounter>(), provider.GetRequiredService<ICounter>());
    }

    [Fact]
    public async Task Decorating_a_factory_registration_calls_the_factory()
    {
        var counter = new Counter();
        var services = new ServiceCollection().AddSingleton<ICounter>(_ => counter).AddCachedProxy<ICounter>();
        using var provider = services.BuildServiceProvider(Strict);

        await provider.GetRequiredService<ICounter>().NextAsync(1);

        Assert.Equal(1, counter.Executions);
    }

    [Fact]
    public void Container_still_disposes_the_real_service()
    {
        var services = new ServiceCollection().AddSingleton<ICounter, Counter>().AddCachedProxy<ICounter>();
        var provider = services.BuildServiceProvider(Strict);
        var real = provider.GetRequiredKeyedService<ICounter>(new Cacheweave.DependencyInjection.DecoratedServiceKey(typeof(ICounter)));
        _ = provider.GetRequiredService<ICounter>();

        provider.Dispose();

        Assert.True(Assert.IsType<Counter>(real).Disposed);
    }

    [Fact]
    public async Task AddCachedProxy_twice_wraps_once()
    {
        var services = new ServiceCollection().AddSingleton<ICounter, Counter>().AddCachedProxy<ICounter>().AddCachedProxy<ICounter>();
        using var provider = services.BuildServiceProvider(Strict);
        var proxy = provider.GetRequiredService<ICounter>();

        await proxy.NextAsync(1);
        await proxy.NextAsync(1);

        Assert.Equal(1, proxy.Executions);
        Assert.Single(services, d => d.ServiceType == typeof(ICounter) && d.IsKeyedService);
    }

    [Fact]
    public void One_proxy_generator_serves_every_proxy_of_a_container()
    {
        var services = new ServiceCollection().AddTransient<ICounter, Counter>().AddCachedProxy<ICounter>();
        using var provider = services.BuildServiceProvider(Strict);

        Assert.Same(provider.GetRequiredService<ICounter>().GetType(), provider.GetRequiredService<ICounter>().GetType());
        Assert.Single(services, d => d.ServiceType == typeof(Cacheweave.DependencyInjection.CachedProxyFactory));
    }

    [Fact]
    public async Task Named_backend_holds_the_entries_of_methods_that_name_it()
    {
        using var fast = new LruBackend(10);
        using var fallback = new LruBackend(10);
        var real = Substitute.For<IUsesNamedBackend>();
        real.GetAsync(1).Returns(10);
        var services = new ServiceCollection()
            .AddCacheweave(b => b.UseDefaultBackend(_ => fallback).AddBackend("fast", _ => fast))
            .AddSingleton(real)
            .AddCachedProxy<IUsesNamedBackend>();
        using var provider = services.BuildServiceProvider(Strict);

        await provider.GetRequiredService<IUsesNamedBackend>().GetAsync(1);

        Assert.Equal(1, fast.Count);
        Assert.Equal(0, fallback.Count);
        Assert.Same(fast, provider.GetRequiredKeyedService<ICacheBackend>("fast"));
    }

    [Fact]
    public async Task Backend_registered_directly_as_a_keyed_service_can_be_named()
    {
        using var fast = new LruBackend(10);
        var real = Substitute.For<IUsesNamedBackend>();
        real.GetAsync(1).Returns(10);
        var services = new ServiceCollection()
            .AddKeyedSingleton<ICacheBackend>("fast", fast)
            .AddSingleton(real)
            .AddCachedProxy<IUsesNamedBackend>();
        using var provider = services.BuildServiceProvider(Strict);

        await provider.GetRequiredService<IUsesNamedBackend>().GetAsync(1);

        Assert.Equal(1, fast.Count);
    }

    [Fact]
    public async Task Interface_level_Cached_caches_value_methods_and_passes_the_others_through()
    {
        var real = Substitute.For<ICatalog>();
        real.NameAsync(1).Returns("one");
        using var provider = new ServiceCollection().AddSingleton(real).AddCachedProxy<ICatalog>().BuildServiceProvider(Strict);
        var proxy = provider.GetRequiredService<ICatalog>();

        await proxy.NameAsync(1);
        await proxy.NameAsync(1);
        await proxy.SaveAsync(1);
        await proxy.SaveAsync(1);
        proxy.Touch();

        await real.Received(1).NameAsync(1);
        await real.Received(2).SaveAsync(1);
        real.Received(1).Touch();
    }

    [Fact]
    public async Task Methods_of_extended_interfaces_are_cached_too()
    {
        var real = Substitute.For<IDerivedLookup>();
        real.BaseAsync(1).Returns("base");
        real.DerivedAsync(1).Returns("derived");
        using var provider = new ServiceCollection().AddSingleton(real).AddCachedProxy<IDerivedLookup>().BuildServiceProvider(Strict);
        var proxy = provider.GetRequiredService<IDerivedLookup>();

        await proxy.BaseAsync(1);
        await proxy.BaseAsync(1);
        await proxy.DerivedAsync(1);
        await proxy.DerivedAsync(1);

        await real.Received(1).BaseAsync(1);
        await real.Received(1).DerivedAsync(1);
    }

    [Fact]
    public void Class_service_type_fails_at_registration_naming_the_type()
    {
        var services = new ServiceCollection().AddSingleton<Counter>();

        var error = Assert.Throws<InvalidOperationException>(() => services.AddCachedProxy<Counter>());

        Assert.Contains(typeof(Counter).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains("interface", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(typeof(IReturnsVoid), nameof(IReturnsVoid.Save))]
    [InlineData(typeof(IReturnsTask), nameof(IReturnsTask.SaveAsync))]
    [InlineData(typeof(IReturnsValueTask), nameof(IReturnsValueTask.SaveAsync))]
    [InlineData(typeof(IReturnsAsyncStream), nameof(IReturnsAsyncStream.StreamAsync))]
    [InlineData(typeof(IHasOutParameter), nameof(IHasOutParameter.TryGet))]
    [InlineData(typeof(IHasNegativeTtl), nameof(IHasNegativeTtl.GetAsync))]
    [InlineData(typeof(IUsesUnknownBackend), nameof(IUsesUnknownBackend.GetAsync))]
    [InlineData(typeof(ITakesResource), nameof(ITakesResource.GetAsync))]
    public void Misused_Cached_fails_at_registration_naming_the_type_and_method(Type serviceType, string method)
    {
        var services = new ServiceCollection();
        services.AddSingleton(serviceType, _ => throw new InvalidOperationException("never resolved"));
        var addCachedProxy = typeof(CacheweaveServiceCollectionExtensions).GetMethods()
            .Single(m => m.Name == nameof(CacheweaveServiceCollectionExtensions.AddCachedProxy) && m.GetGenericArguments().Length == 1)
            .MakeGenericMethod(serviceType);

        var error = Assert.Throws<InvalidOperationException>(() => Unwrap(() => addCachedProxy.Invoke(null, [services])));

        Assert.Contains($"{serviceType.FullName}.{method}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_backend_error_names_the_backend()
    {
        var services = new ServiceCollection().AddSingleton(Substitute.For<IUsesUnknownBackend>());

        var error = Assert.Throws<InvalidOperationException>(() => services.AddCachedProxy<IUsesUnknownBackend>());

        Assert.Contains("'nowhere'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cached_on_a_class_method_fails_at_registration_naming_it()
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<InvalidOperationException>(() => services.AddCachedProxy<IPlainService, CachedOnClassService>());

        Assert.Contains($"{typeof(CachedOnClassService).FullName}.{nameof(CachedOnClassService.GetAsync)}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IPlainService));
    }

    [Fact]
    public void Decorating_an_unregistered_service_fails_naming_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddCachedProxy<ICounter>());

        Assert.Contains(typeof(ICounter).FullName!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalidator_is_registered()
    {
        using var provider = new ServiceCollection().AddCacheweave().BuildServiceProvider(Strict);

        Assert.NotNull(provider.GetService<ICacheInvalidator>());
    }

    private static void Unwrap(Action action)
    {
        try
        {
            action();
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
        }
    }
}
