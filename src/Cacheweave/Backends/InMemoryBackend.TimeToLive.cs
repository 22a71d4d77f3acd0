using Cacheweave.Backends.Engine;

namespace Cacheweave.Backends;

// Time to live after the fact: the ICacheBackend time-to-live members.
public abstract partial class InMemoryBackend
{

    /// <inheritdoc />
    public ValueTask<CacheResult<TimeSpan?>> GetTimeToLiveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled<CacheResult<TimeSpan?>>(cancellationToken)
            : new ValueTask<CacheResult<TimeSpan?>>(GetTimeToLive(key));
    }

    /// <inheritdoc />
    public ValueTask<bool> SetTimeToLiveAsync(string key, TimeSpan? timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfNotPositive(timeToLive);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled<bool>(cancellationToken)
            : new ValueTask<bool>(SetTimeToLive(key, timeToLive));
    }

    /// <inheritdoc />
    /// <remarks>The instant is compared with the backend's <see cref="TimeProvider.GetUtcNow"/>.</remarks>
    public ValueTask<bool> ExpireAtAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled<bool>(cancellationToken)
            : new ValueTask<bool>(ExpireAt(key, expiresAt));
    }

    /// <summary>Reads how long <paramref name="key"/> has left to live, synchronously, without counting as a use.</summary>
    /// <param name="key">The key; not null or empty.</param>
    /// <returns>A miss when the key holds nothing live; otherwise the remaining time, or <see langword="null"/> when the entry does not expire.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    public CacheResult<TimeSpan?> GetTimeToLive(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ObjectDisposedException.ThrowIf(_disposed, this);

        // Read before the lock, for the reason given in Set.
        var now = Now();
        long expiresAt;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_map.TryGetValue(key, out var entry) || IsExpired(entry, now))
            {
                return CacheResult<TimeSpan?>.Miss;
            }

            expiresAt = entry is ExpiringCacheEntry expiring ? Volatile.Read(ref expiring.ExpiresAt) : ExpiringCacheEntry.Never;
        }

        return new CacheResult<TimeSpan?>(expiresAt == ExpiringCacheEntry.Never ? null : _time.GetElapsedTime(now, expiresAt));
    }

    /// <summary>Gives the live entry under <paramref name="key"/> a new time to live, synchronously; see <see cref="SetTimeToLiveAsync"/>.</summary>
    /// <param name="key">The key; not null or empty.</param>
    /// <param name="timeToLive">The new time to live, greater than zero; <see langword="null"/> makes the entry persistent.</param>
    /// <returns><see langword="true"/> when the key held a live entry.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeToLive"/> is zero or negative.</exception>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    public bool SetTimeToLive(string key, TimeSpan? timeToLive)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfNotPositive(timeToLive);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return ChangeExpiry(key, timeToLive is { } ttl ? ToTimestampTicks(ttl) : ExpiringCacheEntry.Never, Now());
    }

    /// <summary>Makes the live entry under <paramref name="key"/> expire at <paramref name="expiresAt"/>, synchronously; see <see cref="ExpireAtAsync"/>.</summary>
    /// <param name="key">The key; not null or empty.</param>
    /// <param name="expiresAt">When the entry expires; an instant not after the backend's current time removes it now.</param>
    /// <returns><see langword="true"/> when the key held a live entry.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    public bool ExpireAt(string key, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var now = Now();
        var left = expiresAt - _time.GetUtcNow();
        return left > TimeSpan.Zero ? ChangeExpiry(key, ToTimestampTicks(left), now) : Remove(key, CacheRemovalReason.Expired);
    }

    private static void ThrowIfNotPositive(TimeSpan? timeToLive)
    {
        if (timeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeToLive), ttl, "A time to live must be greater than zero; pass null to remove the expiry.");
        }
    }

    // Gives the entry the expiry now + lifetime (Never: none) without touching its value or its place in the policy.
    private bool ChangeExpiry(string key, long lifetime, long now)
    {
        var removed = new RemovalBatch(EntryRemoved is not null);
        bool found;
        bool startSweep = false;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            found = _map.TryGetValue(key, out var entry);
            if (found && IsExpired(entry!, now))
            {
                DrainBeforeRemoval();
                RemoveLocked(entry!, CacheRemovalReason.Expired, ref removed);
                found = false;
            }
            else if (found)
            {
                var expiresAt = lifetime == ExpiringCacheEntry.Never ? ExpiringCacheEntry.Never : now + lifetime;
                if (entry is ExpiringCacheEntry { Sliding: false } expiring)
                {
                    // Nothing changes the expiry of a non-sliding entry without the lock, so it can be re-filed in place.
                    _expiry.Remove(expiring);
                    expiring.Lifetime = lifetime;
                    Volatile.Write(ref expiring.ExpiresAt, expiresAt);
                    expiring.QueuedAt = expiresAt;
                    _expiry.Add(expiring);
                }
                else if (entry is ExpiringCacheEntry || lifetime != ExpiringCacheEntry.Never)
                {
                    SwapEntryLocked(entry!, new ExpiringCacheEntry(key, null, expiresAt, lifetime));
                }

                startSweep = lifetime != ExpiringCacheEntry.Never && _sweep is null;
            }
        }

        if (startSweep)
        {
            StartSweep();
        }

        removed.Raise(this, EntryRemoved);
        return found;
    }

    // A sliding entry (whose expiry hits move without the lock) or an entry without expiry fields gets a new entry
    // object in the same place. The old one is detached first: from then on an in-place write to it fails and takes
    // the lock, so no write lands on it and is lost, and a reader who meets it waits for the lock (TryGetAgain) and
    // then finds the replacement. Recorded hits are replayed first, so that the swap loses none of them.
    private void SwapEntryLocked(CacheEntry entry, ExpiringCacheEntry replacement)
    {
        _accesses?.Drain(_policy);
        replacement.Value = entry.Detach();
        replacement.Size = entry.Size;
        _map[entry.Key] = replacement;
        _policy.OnSwapped(entry, replacement);
        Unqueue(entry);
        Enqueue(replacement);
    }
}
