using System.Diagnostics.Metrics;
using Cacheweave.Backends;
using Cacheweave.Backends.Snapshots;
using Cacheweave.Diagnostics;
using Cacheweave.Interception;
using Cacheweave.Tags;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cacheweave.DependencyInjection;

/// <summary>
/// What <c>AddCacheweave</c> and <c>AddCachedProxy</c> record in one service collection: the builder every
/// <c>AddCacheweave</c> call configures, the backends registered from it and the interfaces already proxied.
/// Kept in the collection itself as a singleton instance, so that repeated calls find it.
/// </summary>
internal sealed class CacheweaveRegistration
{
    /// <summary>The capacity of the default in-memory backend.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly HashSet<string> _registeredBackends = new(StringComparer.Ordinal);
    private readonly HashSet<Type> _proxied = [];

    private CacheweaveRegistration(IServiceCollection services)
    {
        Builder = new CacheweaveBuilder(services);
    }

    /// <summary>The builder shared by every <c>AddCacheweave</c> call on the collection.</summary>
    public CacheweaveBuilder Builder { get; }

    /// <summary>Finds the collection's registration, or adds it with Cacheweave's core services.</summary>
    public static CacheweaveRegistration Ensure(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(CacheweaveRegistration) && !descriptor.IsKeyedService &&
                descriptor.ImplementationInstance is CacheweaveRegistration existing)
            {
                return existing;
            }
        }

        var registration = new CacheweaveRegistration(services);
        services.AddSingleton(registration);
        services.TryAddSingleton<ICacheBackend>(registration.CreateDefaultBackend);
        services.TryAddSingleton<KeyedLock>();
        services.TryAddSingleton<CachedProxyFactory>();
        services.TryAddSingleton<ICacheInvalidator, CacheInvalidator>();
        services.TryAddSingleton(static provider => new CacheweaveMetrics(provider.GetService<IMeterFactory>()));
        services.TryAddSingleton<TagInvalidator>();
        return registration;
    }

    /// <summary>Registers, as keyed <see cref="ICacheBackend"/> singletons, the named backends added to the builder since the last call.</summary>
    public void RegisterNamedBackends(IServiceCollection services)
    {
        foreach (var (name, factory) in Builder.NamedBackends)
        {
            if (_registeredBackends.Add(name))
            {
                services.AddKeyedSingleton<ICacheBackend>(name, (provider, _) => Tracked(provider, name, factory(provider)));
            }
        }
    }

    /// <summary>Whether a backend of this name is registered, through the builder or directly as a keyed service.</summary>
    public bool IsBackendRegistered(IServiceCollection services, string name) =>
        Builder.NamedBackends.ContainsKey(name) ||
        services.Any(d => d.IsKeyedService && d.ServiceType == typeof(ICacheBackend) && Equals(d.ServiceKey, name));

    /// <summary>The interfaces proxied so far.</summary>
    public IReadOnlyCollection<Type> ProxiedTypes => _proxied;

    /// <summary>Records that <paramref name="serviceType"/> is proxied; returns <see langword="false"/> when it already was.</summary>
    public bool MarkProxied(Type serviceType) => _proxied.Add(serviceType);

    private ICacheBackend CreateDefaultBackend(IServiceProvider provider)
    {
        var backend = Builder.DefaultBackendFactory?.Invoke(provider) ?? new TinyLfuBackend(DefaultCapacity);
        if (Builder.Snapshot is { } snapshot)
        {
            backend = snapshot.Attach(backend, (ILogger?)provider.GetService<ILogger<SnapshotFile>>() ?? NullLogger.Instance);
        }

        return Tracked(provider, TelemetryTags.DefaultBackend, backend);
    }

    // Every backend the container creates reports its tiers under its name, whether or not a cached proxy uses it.
    private static ICacheBackend Tracked(IServiceProvider provider, string name, ICacheBackend backend)
    {
        provider.GetService<CacheweaveMetrics>()?.TrackBackend(name, backend);
        return backend;
    }
}
