using Cacheweave.Backends;

namespace Cacheweave.Tiers;

/// <summary>Invalidates a key on any <see cref="ICacheBackend"/> and reports what became of it.</summary>
public static class CacheBackendInvalidation
{
    /// <summary>
    /// Removes <paramref name="key"/> from <paramref name="backend"/>: through
    /// <see cref="ICacheBackendWithInvalidation.InvalidateAsync"/> when the backend can leave a removal pending, otherwise
    /// through <see cref="ICacheBackend.RemoveAsync"/> (which always reaches an in-memory backend).
    /// </summary>
    /// <param name="backend">The backend.</param>
    /// <param name="key">The key; not null or empty.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>Whether an entry was removed, was not there, or the removal is pending.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="backend"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    public static async ValueTask<CacheInvalidationResult> InvalidateKeyAsync(this ICacheBackend backend, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        if (backend is ICacheBackendWithInvalidation reporting)
        {
            return await reporting.InvalidateAsync(key, cancellationToken).ConfigureAwait(false);
        }

        return await backend.RemoveAsync(key, cancellationToken).ConfigureAwait(false)
            ? CacheInvalidationResult.Removed
            : CacheInvalidationResult.NotFound;
    }
}
