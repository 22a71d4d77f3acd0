using Cacheweave.Backends;

namespace Cacheweave.Tiers;

/// <summary>
/// A backend whose removals can be left pending when a tier it depends on is unreachable, and that says so
/// (<see cref="Resilience.ResilientCacheBackend"/>, <see cref="TwoLevelBackend"/>).
/// </summary>
public interface ICacheBackendWithInvalidation : ICacheBackend
{
    /// <summary>Removes <paramref name="key"/> and reports whether the removal reached every tier.</summary>
    /// <param name="key">The key; not null or empty.</param>
    /// <param name="cancellationToken">Cancels the wait; a removal already sent may still land.</param>
    /// <returns>
    /// <see cref="CacheInvalidationResult.Removed"/> or <see cref="CacheInvalidationResult.NotFound"/> when every tier
    /// answered; <see cref="CacheInvalidationResult.Pending"/> when a tier could not be reached and the removal will be
    /// replayed when it answers again.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<CacheInvalidationResult> InvalidateAsync(string key, CancellationToken cancellationToken = default);
}
