using Cacheweave.Backends;
using Cacheweave.DependencyInjection;
using Cacheweave.Resilience;
using Cacheweave.Tiers;
using Microsoft.Extensions.DependencyInjection;

namespace Cacheweave.Diagnostics;

/// <summary>Finds the backends <c>AddCacheweave</c> registered in a container, and their shared tiers.</summary>
internal static class ContainerBackends
{
    /// <summary>
    /// The shared tiers of the container's default backend and of its named backends (those added through the
    /// builder), with the backend's name; resolving a backend creates it when it does not exist yet.
    /// </summary>
    public static List<(string Name, ResilientCacheBackend Tier)> SharedTiers(IServiceProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var tiers = new List<(string, ResilientCacheBackend)>();
        if (SharedTierOf(provider.GetService<ICacheBackend>()) is { } defaultTier)
        {
            tiers.Add((TelemetryTags.DefaultBackend, defaultTier));
        }

        if (provider.GetService<CacheweaveRegistration>() is { } registration)
        {
            foreach (var name in registration.Builder.NamedBackends.Keys.Order(StringComparer.Ordinal))
            {
                if (SharedTierOf(provider.GetKeyedService<ICacheBackend>(name)) is { } tier)
                {
                    tiers.Add((name, tier));
                }
            }
        }

        return tiers;
    }

    /// <summary>The shared tier of <paramref name="backend"/>: itself when it is one, L2 of a two-level backend, or none.</summary>
    public static ResilientCacheBackend? SharedTierOf(ICacheBackend? backend) => backend switch
    {
        ResilientCacheBackend shared => shared,
        TwoLevelBackend twoLevel => twoLevel.SharedTier,
        _ => null,
    };
}
