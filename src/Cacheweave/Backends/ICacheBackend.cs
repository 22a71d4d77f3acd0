namespace Cacheweave.Backends;

/// <summary>
/// An asynchronous store of cached values addressed by string keys. Every Cacheweave tier (in-memory,
/// Redis, two-level) implements it, and the caching interceptor talks to nothing else.
/// </summary>
/// <remarks>
/// <para>
/// Reads are typed: the caller names the value type in <see cref="GetAsync{T}"/> so that a
/// serializing tier can decode the stored bytes without type names in the payload.
/// </para>
/// <para>
/// A miss and a cached <see langword="null"/> are different outcomes: <see cref="GetAsync{T}"/> returns
/// <see cref="CacheResult{T}.Miss"/> for a key that holds nothing, and a result whose
/// <see cref="CacheResult{T}.HasValue"/> is <see langword="true"/> and whose value is <see langword="null"/>
/// for a key that holds a cached null.
/// </para>
/// <para>
/// Implementations are safe to call from any number of threads at once. In-memory implementations
/// complete synchronously and do not allocate on a hit.
/// </para>
/// <para>
/// The time-to-live members (<see cref="GetTimeToLiveAsync"/>, <see cref="SetTimeToLiveAsync"/>,
/// <see cref="ExpireAtAsync"/>) were added after the first release as default interface members that throw
/// <see cref="NotSupportedException"/>, so an implementation written before them still compiles; every backend in
/// Cacheweave implements them. None of them counts as a use of the entry: recency and frequency are unchanged.
/// </para>
/// </remarks>
public interface ICacheBackend
{
    /// <summary>Looks up <paramref name="key"/>.</summary>
    /// <typeparam name="T">The type the value was stored as.</typeparam>
    /// <param name="key">The key; not null or empty.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The cached value, or <see cref="CacheResult{T}.Miss"/> when the key holds nothing live.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>, replacing any earlier value.</summary>
    /// <typeparam name="T">The type of the value; the same type must be named when it is read back.</typeparam>
    /// <param name="key">The key; not null or empty.</param>
    /// <param name="value">The value; <see langword="null"/> is stored as a cached null.</param>
    /// <param name="options">Per-entry options such as the time to live; <see langword="null"/> takes the backend's defaults.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    ValueTask PutAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="key"/>.</summary>
    /// <param name="key">The key; not null or empty.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns><see langword="true"/> when a live entry was removed.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Removes every entry this backend owns.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    ValueTask ClearAsync(CancellationToken cancellationToken = default);

    /// <summary>Counts the entries this backend currently holds.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The number of entries; for in-memory backends never more than their capacity.</returns>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    ValueTask<long> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads how long <paramref name="key"/> has left to live, without counting as a use of it.</summary>
    /// <param name="key">The key; not null or empty.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>
    /// <see cref="CacheResult{T}.Miss"/> when the key holds nothing live; otherwise a hit carrying the remaining time to
    /// live, or <see langword="null"/> when the entry does not expire.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    /// <exception cref="NotSupportedException">The backend does not implement time-to-live operations.</exception>
    ValueTask<CacheResult<TimeSpan?>> GetTimeToLiveAsync(string key, CancellationToken cancellationToken = default) =>
        throw TimeToLiveNotSupported(nameof(GetTimeToLiveAsync));

    /// <summary>
    /// Gives the live entry under <paramref name="key"/> a new time to live counted from now, or removes its expiry.
    /// The value, recency and frequency are unchanged; a sliding expiry ends.
    /// </summary>
    /// <param name="key">The key; not null or empty.</param>
    /// <param name="timeToLive">The new time to live, greater than zero; <see langword="null"/> makes the entry persistent (it then leaves only by eviction or removal).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the key held a live entry (and now has the new expiry); <see langword="false"/> when it held none.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeToLive"/> is zero or negative.</exception>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    /// <exception cref="NotSupportedException">The backend does not implement time-to-live operations.</exception>
    ValueTask<bool> SetTimeToLiveAsync(string key, TimeSpan? timeToLive, CancellationToken cancellationToken = default) =>
        throw TimeToLiveNotSupported(nameof(SetTimeToLiveAsync));

    /// <summary>
    /// Makes the live entry under <paramref name="key"/> expire at <paramref name="expiresAt"/> (wall-clock time); an
    /// instant not in the future removes it now. The value, recency and frequency are unchanged; a sliding expiry ends.
    /// </summary>
    /// <param name="key">The key; not null or empty.</param>
    /// <param name="expiresAt">When the entry expires.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the key held a live entry; <see langword="false"/> when it held none.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    /// <exception cref="NotSupportedException">The backend does not implement time-to-live operations.</exception>
    ValueTask<bool> ExpireAtAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
        throw TimeToLiveNotSupported(nameof(ExpireAtAsync));

    private NotSupportedException TimeToLiveNotSupported(string member) =>
        new($"{GetType().FullName} does not implement {nameof(ICacheBackend)}.{member}: it was written before time-to-live operations joined the backend contract.");
}
