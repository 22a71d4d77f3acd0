using Cacheweave.Backends;
using Cacheweave.DependencyInjection;
using Cacheweave.Diagnostics;
using Cacheweave.Interception;
using Cacheweave.Tags;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Cacheweave: backends, cached proxies and the invalidator.</summary>
public static class CacheweaveServiceCollectionExtensions
{
    /// <summary>
    /// Adds Cacheweave's services: the default backend (an in-memory <c>TinyLfuBackend</c> of 10,000 entries unless
    /// <see cref="CacheweaveBuilder.UseDefaultBackend"/> sets another) as <c>ICacheBackend</c>, the named backends as keyed
    /// <c>ICacheBackend</c> services, <see cref="ICacheInvalidator"/> and <see cref="ICacheKeyProvider"/>. May be called more than once; every call
    /// configures the same builder.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures backends; optional.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentException">A backend name is registered twice.</exception>
    public static IServiceCollection AddCacheweave(this IServiceCollection services, Action<CacheweaveBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registration = CacheweaveRegistration.Ensure(services);
        services.TryAddSingleton<ICacheKeyProvider, CacheKeyProvider>();
        if (configure is not null)
        {
            configure(registration.Builder);
            registration.RegisterNamedBackends(services);
        }

        return services;
    }

    /// <summary>
    /// Registers <typeparamref name="TImplementation"/> as <typeparamref name="TService"/> and wraps it in a cached proxy:
    /// <c>[Cached]</c> methods of <typeparamref name="TService"/> return cached results, the others go straight through.
    /// </summary>
    /// <typeparam name="TService">The interface to proxy.</typeparam>
    /// <typeparam name="TImplementation">The real service.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="lifetime">The lifetime of the service and its proxy; singleton unless given.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">
    /// <typeparamref name="TService"/> is not an interface, a <c>[Cached]</c> mark cannot be honoured (a method returning void,
    /// <see cref="Task"/>, <see cref="ValueTask"/> or <c>IAsyncEnumerable&lt;T&gt;</c>; a parameter type MessagePack cannot
    /// serialize; a <c>[Cached]</c> on a class method), or a named backend is not registered yet.
    /// </exception>
    public static IServiceCollection AddCachedProxy<TService, TImplementation>(this IServiceCollection services, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TService : class
        where TImplementation : class, TService
    {
        ArgumentNullException.ThrowIfNull(services);
        var registration = CacheweaveRegistration.Ensure(services);
        CachedServiceValidator.Validate(typeof(TService), typeof(TImplementation), name => registration.IsBackendRegistered(services, name));
        services.Add(ServiceDescriptor.Describe(typeof(TService), typeof(TImplementation), lifetime));
        return services.AddCachedProxy<TService>();
    }

    /// <summary>
    /// Wraps the existing (last unkeyed) registration of <typeparamref name="TService"/> in a cached proxy with the same
    /// lifetime. The real service stays owned by the container. Calling it again for the same interface does nothing.
    /// Adds Cacheweave's services with their defaults when <see cref="AddCacheweave"/> was not called.
    /// </summary>
    /// <typeparam name="TService">The interface to proxy.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">
    /// <typeparamref name="TService"/> is not registered or not an interface, a <c>[Cached]</c> mark cannot be honoured,
    /// or a named backend is not registered yet.
    /// </exception>
    public static IServiceCollection AddCachedProxy<TService>(this IServiceCollection services)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(services);
        var registration = CacheweaveRegistration.Ensure(services);
        services.TryAddSingleton<ICacheKeyProvider, CacheKeyProvider>();
        var index = LastUnkeyedIndexOf(services, typeof(TService));
        var original = index < 0 ? null : services[index];
        CachedServiceValidator.Validate(typeof(TService), original?.ImplementationType, name => registration.IsBackendRegistered(services, name));
        if (original is null)
        {
            throw new InvalidOperationException(
                $"AddCachedProxy<{typeof(TService).Name}>() decorates an existing registration, and {typeof(TService).FullName} has none. " +
                $"Register it first (e.g. services.AddSingleton<{typeof(TService).Name}, …>()) or call AddCachedProxy<{typeof(TService).Name}, TImplementation>().");
        }

        if (!registration.MarkProxied(typeof(TService)))
        {
            return services;
        }

        var innerKey = new DecoratedServiceKey(typeof(TService));
        services.Add(WithKey(original, innerKey));
        services[index] = ServiceDescriptor.Describe(typeof(TService), provider => CreateProxy<TService>(provider, innerKey), original.Lifetime);
        services.TryAddKeyedSingleton(typeof(TService), (provider, _) => CreateInterceptor(provider, typeof(TService)));
        return services;
    }

    private static TService CreateProxy<TService>(IServiceProvider provider, DecoratedServiceKey innerKey)
        where TService : class =>
        provider.GetRequiredService<CachedProxyFactory>().Create(
            provider.GetRequiredKeyedService<TService>(innerKey),
            provider.GetRequiredKeyedService<CachingInterceptor>(typeof(TService)));

    private static CachingInterceptor CreateInterceptor(IServiceProvider provider, Type serviceType)
    {
        var factory = new MethodPlanFactory(
            name => name is null ? provider.GetRequiredService<ICacheBackend>() : provider.GetKeyedService<ICacheBackend>(name),
            provider.GetRequiredService<KeyedLock>(),
            serviceType,
            provider.GetService<ILoggerFactory>(),
            provider.GetRequiredService<CacheweaveRegistration>().Builder.ValueSerializer,
            provider.GetService<CacheweaveMetrics>(),
            provider.GetRequiredService<TagInvalidator>(),
            provider.GetService<TimeProvider>());
        return new CachingInterceptor(serviceType, factory);
    }

    private static int LastUnkeyedIndexOf(IServiceCollection services, Type serviceType)
    {
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == serviceType && !services[i].IsKeyedService)
            {
                return i;
            }
        }

        return -1;
    }

    private static ServiceDescriptor WithKey(ServiceDescriptor descriptor, object key)
    {
        if (descriptor.ImplementationInstance is { } instance)
        {
            return new ServiceDescriptor(descriptor.ServiceType, key, instance);
        }

        if (descriptor.ImplementationFactory is { } factory)
        {
            return new ServiceDescriptor(descriptor.ServiceType, key, (provider, _) => factory(provider), descriptor.Lifetime);
        }

        return new ServiceDescriptor(descriptor.ServiceType, key, descriptor.ImplementationType!, descriptor.Lifetime);
    }
}
