using System.Reflection;
using Cacheweave.Interception;
using Cacheweave.Keys;

namespace Cacheweave.DependencyInjection;

/// <summary>Checks at registration that a service can be proxied and that each of its <c>[Cached]</c> marks can be honoured.</summary>
internal static class CachedServiceValidator
{
    /// <summary>Throws for the first problem found.</summary>
    /// <param name="serviceType">The interface to proxy.</param>
    /// <param name="implementationType">The implementation, when the registration names one.</param>
    /// <param name="isBackendRegistered">Tells whether a named backend is registered.</param>
    /// <exception cref="InvalidOperationException">The service cannot be proxied or a mark cannot be honoured; the message names the type and method.</exception>
    public static void Validate(Type serviceType, Type? implementationType, Func<string, bool> isBackendRegistered)
    {
        if (!serviceType.IsInterface)
        {
            throw new InvalidOperationException(
                $"AddCachedProxy<{serviceType.Name}>: {serviceType.FullName} is a class, and Cacheweave proxies interfaces. " +
                $"Put [Cached] on the methods of an interface that {serviceType.Name} implements, register {serviceType.Name} under it " +
                "and call AddCachedProxy with the interface.");
        }

        foreach (var method in CachedMethodSettings.InterfaceMethods(serviceType).Distinct())
        {
            _ = InvalidatingMethodSettings.For(method, serviceType);
            var settings = CachedMethodSettings.For(method, serviceType);
            if (settings is null)
            {
                continue;
            }

            if (settings.Backend is { } backend && !isBackendRegistered(backend))
            {
                throw new InvalidOperationException(
                    $"[Cached] on {serviceType.FullName}.{method.Name} names the backend '{backend}', which is not registered. " +
                    $"Register it before calling AddCachedProxy<{serviceType.Name}>(): services.AddCacheweave(b => b.AddBackend(\"{backend}\", …)).");
            }

            if (!method.IsGenericMethodDefinition)
            {
                // Resolves a formatter for every key parameter now, rather than on the first call.
                _ = new CacheKeyBuilder(method, settings.Prefix, serviceType);
            }
        }

        if (implementationType is not null)
        {
            var unreachable = implementationType
                .GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .FirstOrDefault(static m => m.IsDefined(typeof(CachedAttribute), inherit: false));
            if (unreachable is not null)
            {
                throw new InvalidOperationException(
                    $"[Cached] on {implementationType.FullName}.{unreachable.Name} has no effect: the proxy of {serviceType.Name} only reads " +
                    "[Cached] on interface methods. Move the attribute to the interface method.");
            }
        }
    }
}
