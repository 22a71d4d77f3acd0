using Cacheweave.Backends;

namespace Cacheweave.Tiers;

/// <summary>
/// A backend that can tell, in the same lookup, how long an entry has left to live. A
/// <see cref="TwoLevelBackend"/> uses it so that a value copied into the local tier never outlives the shared one.
/// </summary>
public interface ICacheBackendWithExpiry : ICacheBackend
{
    /// <summary>Looks up <paramref name="key"/> and its remaining time to live in one operation.</summary>
    /// <typeparam name="T">The type the value was stored as.</typeparam>
    /// <param name="key">The key; not null or empty.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The lookup result and, on a hit, the time the entry has left.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    ValueTask<ExpiringCacheResult<T>> GetWithExpiryAsync<T>(string key, CancellationToken cancellationToken = default);
}
