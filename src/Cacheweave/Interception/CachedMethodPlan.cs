using Cacheweave.Backends;
using Cacheweave.Keys;

namespace Cacheweave.Interception;

/// <summary>The part of a cached method's plan that does not depend on its value type: keys, backend, version, invalidation.</summary>
internal abstract class CachedMethodPlan : MethodPlan
{
    private readonly int _cancellationIndex;

    protected CachedMethodPlan(CachedMethodSettings settings, ICacheBackend backend, KeyedLock locks)
    {
        Settings = settings;
        Backend = backend;
        Locks = locks;
        Keys = new CacheKeyBuilder(settings.Method, settings.Prefix, settings.ServiceType);
        Version = settings.Versioned ? new MethodVersion(Keys.VersionKey, backend, locks) : null;
        _cancellationIndex = Array.FindIndex(settings.Method.GetParameters(), static p => p.ParameterType == typeof(CancellationToken));
    }

    /// <summary>The method's settings.</summary>
    public CachedMethodSettings Settings { get; }

    /// <summary>Builds the method's keys.</summary>
    public CacheKeyBuilder Keys { get; }

    /// <summary>The backend the method's entries live in.</summary>
    public ICacheBackend Backend { get; }

    /// <summary>The per-key locks shared by every plan of the container.</summary>
    protected KeyedLock Locks { get; }

    /// <summary>The method's version, for a versioned method; otherwise <see langword="null"/>.</summary>
    protected MethodVersion? Version { get; }

    /// <summary>The call's <see cref="CancellationToken"/> argument (the first, when there are several), or none.</summary>
    protected CancellationToken CancellationOf(object?[] arguments) =>
        _cancellationIndex < 0 ? CancellationToken.None : (CancellationToken)arguments[_cancellationIndex]!;

    /// <summary>
    /// Returns the key a call with <paramref name="arguments"/> uses now, or <see langword="null"/> when the method is
    /// versioned and has no version yet (so nothing of it is cached).
    /// </summary>
    public async ValueTask<string?> CurrentKeyAsync(object?[] arguments, CancellationToken cancellationToken)
    {
        if (Version is null)
        {
            return Keys.Build(arguments);
        }

        var version = await Version.ReadAsync(cancellationToken).ConfigureAwait(false);
        return version.TryGetValue(out var current) ? Keys.Build(current, arguments) : null;
    }

    /// <summary>Drops the entry of the call with <paramref name="arguments"/>; returns whether one was there.</summary>
    public async ValueTask<bool> InvalidateAsync(object?[] arguments, CancellationToken cancellationToken)
    {
        var key = await CurrentKeyAsync(arguments, cancellationToken).ConfigureAwait(false);
        return key is not null && await Backend.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops every entry of the method by renewing its version.</summary>
    /// <exception cref="InvalidOperationException">The method is not versioned.</exception>
    public ValueTask InvalidateAllAsync(CancellationToken cancellationToken)
    {
        if (Version is null)
        {
            throw new InvalidOperationException(
                $"{Keys.Identity} is not versioned, so its entries cannot be dropped all at once. Mark it [Cached(Versioned = true)] " +
                "(one extra backend read per call), or drop single calls with InvalidateAsync.");
        }

        return Version.RenewAsync(cancellationToken);
    }
}
