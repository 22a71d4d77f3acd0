using Cacheweave.Backends.Engine;

namespace Cacheweave.Backends;

// The byte budget and run-time limits: sizing a write, making room for a replacement, trimming to new limits.
public abstract partial class InMemoryBackend
{
    /// <summary>
    /// Changes the most entries the backend holds. Going below the current count evicts at once, by the backend's
    /// policy (expired entries first), and announces each eviction through <see cref="EntryRemoved"/>.
    /// </summary>
    /// <param name="capacity">The new capacity; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    public void Resize(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ChangeLimits(capacity, null);
    }

    /// <summary>
    /// Changes the byte budget. Going below the current <see cref="Bytes"/> evicts at once, by the backend's policy
    /// (expired entries first), and announces each eviction through <see cref="EntryRemoved"/>.
    /// </summary>
    /// <param name="maxBytes">The new byte budget; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">
    /// The backend was created without a byte budget, so its entries have no sizes to count.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    public void ResizeBytes(long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        if (!_sizesEntries)
        {
            throw new InvalidOperationException(
                "This backend was created without a byte budget, so it does not size its entries and cannot be given one later. " +
                $"Create it with {nameof(InMemoryBackendOptions)}.{nameof(InMemoryBackendOptions.MaxBytes)}.");
        }

        ChangeLimits(null, maxBytes);
    }

    // Sizes are stored in 32 bits in each entry (CacheEntry.Size).
    private const long MaxEntrySize = int.MaxValue;

    private long SizeOf<T>(string key, T value, CacheEntryOptions? options)
    {
        if (options?.Size is { } given)
        {
            return given <= MaxEntrySize
                ? given
                : throw new ArgumentOutOfRangeException(
                    nameof(options), given, $"The cache entry '{key}' was given a size of {given}; an in-memory entry's size is at most {MaxEntrySize} (int.MaxValue).");
        }

        if (_sizer is null)
        {
            throw new InvalidOperationException(
                $"The cache entry '{key}' was written without {nameof(CacheEntryOptions)}.{nameof(CacheEntryOptions.Size)} to a backend with a byte " +
                $"budget and no sizer. Give the size with each write, or give the backend {nameof(InMemoryBackendOptions)}.{nameof(InMemoryBackendOptions.Sizer)}.");
        }

        var size = _sizer(key, value);
        return size is >= 0 and <= MaxEntrySize
            ? size
            : throw new InvalidOperationException(
                $"The backend's sizer returned {size} for the cache entry '{key}'; a size is between 0 and {MaxEntrySize} (int.MaxValue).");
    }

    // Bytes and budget as they stood together at one moment: a shrinking budget is published after the trim, a growing
    // one before anything uses it, so a pair read between two equal reads of the budget never shows bytes over it.
    private (long Bytes, long? MaxBytes) ReadBytesAndBudget()
    {
        if (!_sizesEntries)
        {
            return (0, null);
        }

        while (true)
        {
            var budget = Volatile.Read(ref _maxBytes);
            var bytes = Volatile.Read(ref _bytes);
            if (Volatile.Read(ref _maxBytes) == budget)
            {
                return (bytes, budget);
            }
        }
    }

    // A refused write takes the key's earlier value with it, so that a read never returns what the write meant to replace.
    private void RemoveKeyLocked(string key, long now, ref RemovalBatch removed)
    {
        if (_map.TryGetValue(key, out var stale))
        {
            RemoveLocked(stale, IsExpired(stale, now) ? CacheRemovalReason.Expired : CacheRemovalReason.Removed, ref removed);
        }
    }

    // A replacement needs room only for the difference between the sizes. The policy chooses victims in its order as it
    // stands before the write; when it chooses the entry being replaced, that value leaves as evicted and the write
    // becomes an insertion (false is returned).
    private bool MakeRoomForReplacementLocked(CacheEntry previous, long size, long now, ref RemovalBatch removed)
    {
        if (size - previous.Size <= _maxBytes - _bytes)
        {
            return true;
        }

        RemoveExpiredLocked(now, ref removed);
        while (size - previous.Size > _maxBytes - _bytes && _policy.SelectVictim() is { } victim)
        {
            RemoveLocked(victim, CacheRemovalReason.Evicted, ref removed);
            if (ReferenceEquals(victim, previous))
            {
                return false;
            }
        }

        return true;
    }

    private void ChangeLimits(int? capacity, long? maxBytes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // Read before the lock, for the reason given in Set.
        var now = Now();
        var removed = new RemovalBatch(EntryRemoved is not null);
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var newCapacity = capacity ?? _capacity;
            var newMaxBytes = maxBytes ?? _maxBytes;
            if (_count > newCapacity || _bytes > newMaxBytes)
            {
                // The policy must see the recorded hits before it chooses, as before any eviction.
                _accesses?.Drain(_policy);
                RemoveExpiredLocked(now, ref removed);
                while ((_count > newCapacity || _bytes > newMaxBytes) && _policy.SelectVictim() is { } victim)
                {
                    RemoveLocked(victim, CacheRemovalReason.Evicted, ref removed);
                }
            }

            // Published after the trim, so that no reader sees the held entries over a new, lower limit.
            Volatile.Write(ref _capacity, newCapacity);
            Volatile.Write(ref _maxBytes, newMaxBytes);
        }

        removed.Raise(this, EntryRemoved);
    }

    /// <summary>The sum of the sizes of the entries in the map, counted one by one; for tests that check <see cref="Bytes"/>.</summary>
    internal long SumOfEntrySizes()
    {
        lock (_sync)
        {
            return _map.Values.Sum(static entry => entry.Size);
        }
    }
}
