using Cacheweave.Backends;
using Cacheweave.DependencyInjection;
using Cacheweave.Interception;
using Cacheweave.Tiers;
using Microsoft.Extensions.DependencyInjection;

namespace Cacheweave.Tags;

/// <summary>
/// Invalidates tags in one container: removes each tag's version entry from every backend that a tagged method of a
/// proxied service uses. On a two-level backend the removal is the single-key path (L2, L1, a message to the other
/// processes; kept pending and replayed when L2 cannot be reached).
/// </summary>
internal sealed class TagInvalidator
{
    private readonly IServiceProvider _services;
    private readonly Lazy<ICacheBackend[]> _backends;

    public TagInvalidator(IServiceProvider services, CacheweaveRegistration registration)
    {
        _services = services;
        _backends = new Lazy<ICacheBackend[]>(() => FindBackends(registration.ProxiedTypes));
    }

    /// <summary>The backends that hold tag versions: those of every tagged method of every proxied service.</summary>
    public IReadOnlyList<ICacheBackend> Backends => _backends.Value;

    /// <summary>Invalidates <paramref name="tags"/> on every tag backend.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="tags"/> is null.</exception>
    /// <exception cref="ArgumentException">A tag is null or empty.</exception>
    public async ValueTask<CacheInvalidationResult> InvalidateAsync(IEnumerable<string> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var keys = new List<string>();
        foreach (var tag in tags)
        {
            if (string.IsNullOrEmpty(tag))
            {
                throw new ArgumentException("A tag is null or empty; tags are non-empty strings such as \"user:42\".", nameof(tags));
            }

            keys.Add(TagKeys.Of(tag));
        }

        var removed = false;
        var pending = false;
        foreach (var backend in Backends)
        {
            foreach (var key in keys)
            {
                var result = await backend.InvalidateKeyAsync(key, cancellationToken).ConfigureAwait(false);
                removed |= result == CacheInvalidationResult.Removed;
                pending |= result == CacheInvalidationResult.Pending;
            }
        }

        return pending ? CacheInvalidationResult.Pending : removed ? CacheInvalidationResult.Removed : CacheInvalidationResult.NotFound;
    }

    private ICacheBackend[] FindBackends(IEnumerable<Type> proxiedTypes)
    {
        var names = new HashSet<string?>();
        foreach (var serviceType in proxiedTypes)
        {
            foreach (var method in CachedMethodSettings.InterfaceMethods(serviceType).Distinct())
            {
                if (CachedMethodSettings.For(method, serviceType) is { Tags.Count: > 0 } settings)
                {
                    names.Add(settings.Backend);
                }
            }
        }

        return names
            .Select(name => name is null ? _services.GetRequiredService<ICacheBackend>() : _services.GetRequiredKeyedService<ICacheBackend>(name))
            .Distinct(ReferenceEqualityComparer.Instance)
            .Cast<ICacheBackend>()
            .ToArray();
    }
}
