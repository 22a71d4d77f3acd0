using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Cacheweave.Backends.Buffers;
using Cacheweave.Backends.Counters;
using Cacheweave.Backends.Engine;
using Cacheweave.Backends.Expiry;
using Cacheweave.Backends.Snapshots;

namespace Cacheweave.Backends;

/// <summary>
/// The common machinery of Cacheweave's in-memory backends: a concurrent map for lock-free reads, an
/// eviction policy and an expiry queue changed under one lock, and a background sweep of expired entries.
/// Use one of the concrete backends: <see cref="LruBackend"/>, <see cref="LfuBackend"/>, <see cref="FifoBackend"/>,
/// <see cref="TtlBackend"/> or <see cref="LruTtlBackend"/>.
/// </summary>
/// <remarks>
/// <para>
/// A read looks the key up without a lock, checks the expiry of entries that have one, and records the
/// access in a striped buffer that is replayed into the eviction policy later; a hit completes synchronously
/// and allocates nothing. Writes, removals and evictions take the lock, so <see cref="Count"/> never exceeds
/// <see cref="Capacity"/>.
/// </para>
/// <para>
/// A backend created with a byte budget (<see cref="InMemoryBackendOptions.MaxBytes"/>) sizes every entry and evicts by
/// its policy before a write until the new entry fits, so <see cref="Bytes"/> never exceeds <see cref="MaxBytes"/>.
/// <see cref="Resize"/> and <see cref="ResizeBytes"/> change the limits at run time.
/// </para>
/// <para>
/// Every backend honours a per-entry <see cref="CacheEntryOptions.TimeToLive"/>. Expired entries are never
/// returned; they are dropped when a read meets them, before a write evicts anything for room, and by a sweep
/// that runs every second of <see cref="TimeProvider"/> time while the backend holds expiring entries. The
/// sweep holds only a weak reference to the backend, so a backend that is dropped without
/// <see cref="Dispose()"/> can still be collected.
/// </para>
/// <para>
/// <see cref="EntryRemoved"/> is raised after the lock is released. A handler may call back into the backend;
/// an exception thrown by a handler is swallowed so that it cannot break the operation that raised the event.
/// </para>
/// </remarks>
public abstract class InMemoryBackend : ICacheBackend, IDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, CacheEntry> _map;
    private readonly Lock _sync = new();
    private readonly EvictionPolicy _policy;
    private readonly ExpiryQueue _expiry = new();
    private readonly AccessBuffer? _accesses;
    private readonly TimeProvider _time;
    private readonly bool _systemClock;
    private readonly long _defaultLifetime;
    private readonly StripedCounter _misses = new();

    // Hits are counted by the access buffer's slots where there is one (a hit already claims a slot there, so a
    // second atomic increment would only slow it down); these cover the rest.
    private readonly StripedCounter _hits = new();
    private readonly StripedCounter _writesRecordedAsAccesses = new();
    private readonly List<ExpiringCacheEntry> _expiredScratch = [];
    private int _count;

    // The limits. int.MaxValue and long.MaxValue stand for none. Both change only under the lock (Resize, ResizeBytes).
    private int _capacity;
    private long _maxBytes;

    // Entries are sized only in a backend with a byte budget; _bytes is the sum of their sizes, changed under the lock.
    private readonly bool _sizesEntries;
    private readonly Func<string, object?, long>? _sizer;
    private long _bytes;
    private long _evictions;
    private long _expirations;
    private SweepState? _sweep;
    private volatile bool _disposed;

    private protected InMemoryBackend(int? capacity, TimeSpan? defaultTtl, TimeProvider? timeProvider, Func<ExpiryQueue, EvictionPolicy> createPolicy)
        : this(OptionsOf(capacity, defaultTtl, timeProvider), createPolicy)
    {
    }

    private protected InMemoryBackend(InMemoryBackendOptions options, Func<ExpiryQueue, EvictionPolicy> createPolicy)
    {
        InMemoryBackendOptions.Validate(options);
        _time = options.TimeProvider ?? TimeProvider.System;
        _systemClock = ReferenceEquals(_time, TimeProvider.System);
        DefaultTimeToLive = options.DefaultTimeToLive;
        _capacity = options.Capacity ?? int.MaxValue;
        _maxBytes = options.MaxBytes ?? long.MaxValue;
        _sizesEntries = options.MaxBytes is not null;
        _sizer = options.Sizer;
        _defaultLifetime = options.DefaultTimeToLive is { } d ? ToTimestampTicks(d) : 0;
        _policy = createPolicy(_expiry);
        _accesses = _policy.TracksAccess ? new AccessBuffer() : null;
        _map = new ConcurrentDictionary<string, CacheEntry>(Environment.ProcessorCount, Math.Min(_capacity, 1024));
    }

    /// <summary>Raised after an entry leaves the backend, outside any lock, with the reason it left.</summary>
    public event EventHandler<CacheEntryRemovedEventArgs>? EntryRemoved;

    /// <summary>
    /// The most entries the backend holds, or <see langword="null"/> when only expiry or the byte budget bounds it
    /// (a capacity of <see cref="int.MaxValue"/> reads as <see langword="null"/> too). <see cref="Resize"/> changes it.
    /// </summary>
    public int? Capacity => Volatile.Read(ref _capacity) is var capacity && capacity == int.MaxValue ? null : capacity;

    /// <summary>
    /// The byte budget: the most the sizes of the entries held add up to, or <see langword="null"/> for a backend
    /// created without one. <see cref="ResizeBytes"/> changes it.
    /// </summary>
    public long? MaxBytes => _sizesEntries ? Volatile.Read(ref _maxBytes) : null;

    /// <summary>The sum of the sizes of the entries held, never more than <see cref="MaxBytes"/>; 0 without a byte budget.</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Whether a writer must give each entry's size (a byte budget and no sizer): cached proxies then compute it.</summary>
    internal bool NeedsEntrySizes => _sizesEntries && _sizer is null;

    /// <summary>The time to live of entries written without one, or <see langword="null"/> when they live until evicted.</summary>
    public TimeSpan? DefaultTimeToLive { get; }

    /// <summary>
    /// The number of entries held, never more than <see cref="Capacity"/>. It can include expired entries that
    /// have not been dropped yet; <see cref="CountAsync"/> drops them first.
    /// </summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>A snapshot of the hit, miss, eviction and expiration counters, the current count and bytes, and the byte budget.</summary>
    public CacheStatistics Statistics
    {
        get
        {
            var (bytes, maxBytes) = ReadBytesAndBudget();
            return new(Hits, _misses.Sum(), Volatile.Read(ref _evictions), Volatile.Read(ref _expirations), Count) { Bytes = bytes, MaxBytes = maxBytes };
        }
    }

    private long Hits => _hits.Sum() + (_accesses is null ? 0 : _accesses.Recorded - _writesRecordedAsAccesses.Sum());

    /// <summary>Looks <paramref name="key"/> up synchronously.</summary>
    /// <typeparam name="T">The type the value was stored as.</typeparam>
    /// <param name="key">The key; not null or empty.</param>
    /// <param name="value">The value on a hit (which may be a cached <see langword="null"/>); otherwise <see langword="default"/>.</param>
    /// <returns><see langword="true"/> on a hit.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="InvalidCastException">The entry holds a value that is not a <typeparamref name="T"/>.</exception>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet<T>(string key, [MaybeNullWhen(false)] out T value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ObjectDisposedException.ThrowIf(_disposed, this);

        if (_map.TryGetValue(key, out var entry) && (entry is not ExpiringCacheEntry expiring || !ExpireIfDue(expiring)))
        {
            // Read once: a write may swap it in place, and a removal detaches it.
            var stored = entry.Value;
            if (ReferenceEquals(stored, CacheEntry.Detached))
            {
                return TryGetAgain(key, out value);
            }

            value = Unbox<T>(key, stored);
            RecordHit(entry);
            return true;
        }

        _misses.Increment();
        value = default;
        return false;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidCastException">The entry holds a value that is not a <typeparamref name="T"/>.</exception>
    public ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<CacheResult<T>>(cancellationToken);
        }

        return new ValueTask<CacheResult<T>>(TryGet(key, out T? value) ? new CacheResult<T>(value) : CacheResult<T>.Miss);
    }

    /// <inheritdoc />
    public ValueTask PutAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        Set(key, value, options);
        return default;
    }

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/> synchronously, replacing any earlier value.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="key">The key; not null or empty.</param>
    /// <param name="value">The value; <see langword="null"/> is stored as a cached null.</param>
    /// <param name="options">Per-entry options; <see langword="null"/> takes the backend's defaults.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    /// <exception cref="CacheEntryTooLargeException">
    /// The backend has a byte budget and the entry is larger than all of it; nothing was stored and any earlier value
    /// of <paramref name="key"/> was removed.
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// The backend has a byte budget but no sizer and <paramref name="options"/> gives no size, or its sizer returned
    /// a negative size.
    /// </exception>
    public void Set<T>(string key, T value, CacheEntryOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ObjectDisposedException.ThrowIf(_disposed, this);

        CacheEntryOptions.ThrowIfSlidingWithoutTimeToLive(options, nameof(options));
        var lifetime = options?.TimeToLive is { } ttl ? ToTimestampTicks(ttl) : _defaultLifetime;
        if (lifetime == 0 && _accesses is not null && !_sizesEntries && TryReplaceInPlace(key, value))
        {
            return;
        }

        // Sized before the lock: the sizer is the caller's code.
        var size = _sizesEntries ? SizeOf(key, value, options) : 0;
        long refusedBudget = -1;

        // The clock is read before the lock, never under it: a TimeProvider may run due timer callbacks on the
        // calling thread when asked the time (FakeTimeProvider does), and the lock is reentrant, so a sweep run from
        // there would change the map and the policy in the middle of this write. An entry read a little early can
        // join its expiry list out of order; ExpiryList.Add places it.
        var now = Now();
        var removed = new RemovalBatch(EntryRemoved is not null);
        bool startSweep;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _accesses?.Drain(_policy);

            CacheEntry entry = lifetime > 0
                ? new ExpiringCacheEntry(key, value, now + lifetime, lifetime, options?.Sliding == true)
                : new CacheEntry(key, value);
            entry.Size = size;

            if (size > _maxBytes)
            {
                refusedBudget = _maxBytes;
                RemoveKeyLocked(key, now, ref removed);
            }
            else if (_map.TryGetValue(key, out var previous) && !IsExpired(previous, now) && MakeRoomForReplacementLocked(previous, size, now, ref removed))
            {
                _map[key] = entry;
                Volatile.Write(ref _bytes, _bytes - previous.Size + size);
                _policy.OnReplaced(previous, entry);
                Unqueue(previous);
                Enqueue(entry);
                removed.Add(key, previous.Detach(), CacheRemovalReason.Replaced);
            }
            else
            {
                // An expired entry of the key is still in the map; one the replacement's room went to is not.
                if (previous is { IsRemoved: false })
                {
                    RemoveLocked(previous, CacheRemovalReason.Expired, ref removed);
                }

                if (_count >= _capacity || size > _maxBytes - _bytes)
                {
                    MakeRoomLocked(now, size, ref removed);
                }

                _map[key] = entry;
                _count++;
                Volatile.Write(ref _bytes, _bytes + size);
                _policy.OnAdded(entry);
                Enqueue(entry);
            }

            startSweep = lifetime > 0 && refusedBudget < 0 && _sweep is null;
        }

        if (startSweep)
        {
            StartSweep();
        }

        removed.Raise(this, EntryRemoved);
        if (refusedBudget >= 0)
        {
            throw new CacheEntryTooLargeException(key, size, refusedBudget);
        }
    }

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

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        return new ValueTask<bool>(Remove(key));
    }

    /// <summary>Removes <paramref name="key"/> synchronously.</summary>
    /// <param name="key">The key; not null or empty.</param>
    /// <returns><see langword="true"/> when a live entry was removed; an expired one is dropped but reported as not found.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    public bool Remove(string key) => Remove(key, CacheRemovalReason.Removed);

    private bool Remove(string key, CacheRemovalReason reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_map.ContainsKey(key))
        {
            return false;
        }

        // Read before the lock, for the reason given in Set.
        var now = Now();
        var removed = new RemovalBatch(EntryRemoved is not null);
        bool wasLive;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_map.TryGetValue(key, out var entry))
            {
                return false;
            }

            wasLive = !IsExpired(entry, now);
            RemoveLocked(entry, wasLive ? reason : CacheRemovalReason.Expired, ref removed);
        }

        removed.Raise(this, EntryRemoved);
        return wasLive;
    }

    /// <inheritdoc />
    public ValueTask ClearAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        Clear();
        return default;
    }

    /// <summary>Removes every entry; each is announced with <see cref="CacheRemovalReason.Cleared"/>.</summary>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    public void Clear()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var removed = new RemovalBatch(EntryRemoved is not null);
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Out of the map first, then detached, as everywhere: a reader that meets a detached entry must not
            // find it in the map again.
            var entries = _map.Values;
            _map.Clear();
            foreach (var entry in entries)
            {
                removed.Add(entry.Key, entry.Detach(), CacheRemovalReason.Cleared);
            }

            _policy.Clear();
            _expiry.Clear();
            _accesses?.Discard();
            Volatile.Write(ref _count, 0);
            Volatile.Write(ref _bytes, 0);
        }

        removed.Raise(this, EntryRemoved);
    }

    /// <inheritdoc />
    /// <remarks>Drops expired entries first, so the count is of live entries.</remarks>
    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<long>(cancellationToken);
        }

        RemoveExpired();
        return new ValueTask<long>(Count);
    }

    // ---- Time to live after the fact (the ICacheBackend time-to-live members) and snapshots ----

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

    /// <summary>
    /// The value types a snapshot may hold. Values of other types are left out of <see cref="SaveAsync"/>'s snapshot
    /// (and counted as skipped). Register the result types of cached methods here before saving or loading.
    /// </summary>
    public CacheSnapshotTypes SnapshotTypes { get; } = new();

    /// <summary>
    /// Writes every live entry to <paramref name="destination"/>: key, value, absolute expiry (wall-clock time of the
    /// backend's <see cref="TimeProvider"/>) and sliding time to live, in eviction order so that <see cref="LoadAsync"/>
    /// restores the order of an LRU backend. Reading the entries does not count as a use of them.
    /// </summary>
    /// <param name="destination">A writable stream; it is written and flushed, not closed.</param>
    /// <param name="cancellationToken">Cancels the write to the stream.</param>
    /// <returns>How many entries were written, and how many were left out because their value's type is not in <see cref="SnapshotTypes"/> or cannot be serialized.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    public async ValueTask<CacheSnapshotResult> SaveAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var (bytes, result) = CaptureSnapshot();
        await destination.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Replaces the backend's entries with those of a snapshot written by <see cref="SaveAsync"/>. The snapshot is
    /// untrusted input: it is read and checked in full before anything changes, and a snapshot that is truncated,
    /// corrupt or of an unknown version throws <see cref="CacheSnapshotException"/> and leaves the backend as it was.
    /// </summary>
    /// <remarks>
    /// Entries whose expiry has passed are not loaded; the others keep their absolute expiry. Entries are added back in
    /// the saved eviction order (for an LRU backend the least recently used stays the first to go). When the snapshot
    /// holds more entries than <see cref="Capacity"/>, the last ones in that order (the most recently used) are kept.
    /// Values whose type (and shape) is not in <see cref="SnapshotTypes"/> are skipped. The entries replaced are
    /// announced with <see cref="CacheRemovalReason.Cleared"/>. An LFU backend's use counts are not kept: loaded entries start at 1.
    /// </remarks>
    /// <param name="source">A readable stream positioned at the snapshot; it is read to its end.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>How many entries were loaded, and how many were left out (expired, of an unknown type or shape, or beyond capacity).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="CacheSnapshotException">The snapshot is truncated, corrupt or of a version this backend cannot read.</exception>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    public async ValueTask<CacheSnapshotResult> LoadAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var buffer = new MemoryStream();
        await source.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Load(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    /// <summary>Serializes the live entries; the caller writes the bytes.</summary>
    internal (byte[] Bytes, CacheSnapshotResult Result) CaptureSnapshot()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // Read before the lock, for the reason given in Set.
        var now = Now();
        var wallNow = _time.GetUtcNow();
        var captured = new List<(CacheEntry Entry, object? Value, long ExpiresAt)>();
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _accesses?.Drain(_policy);
            var ordered = new List<CacheEntry>(_count);
            if (!_policy.TryListInEvictionOrder(ordered))
            {
                ordered.AddRange(_map.Values);
            }

            foreach (var entry in ordered)
            {
                var value = Volatile.Read(ref entry.Value);
                var expiresAt = entry is ExpiringCacheEntry expiring ? Volatile.Read(ref expiring.ExpiresAt) : ExpiringCacheEntry.Never;
                if (expiresAt > now && !ReferenceEquals(value, CacheEntry.Detached))
                {
                    captured.Add((entry, value, expiresAt));
                }
            }
        }

        // Values are serialized outside the lock: that can take a while and runs the values' own code.
        var entries = captured.ConvertAll(c => c.ExpiresAt == ExpiringCacheEntry.Never
            ? new SnapshotEntry(c.Entry.Key, c.Value, null, null, Sliding: false)
            : new SnapshotEntry(
                c.Entry.Key,
                c.Value,
                wallNow + _time.GetElapsedTime(now, c.ExpiresAt),
                _time.GetElapsedTime(0, ((ExpiringCacheEntry)c.Entry).Lifetime),
                ((ExpiringCacheEntry)c.Entry).Sliding));
        return SnapshotFormat.Write(entries, SnapshotTypes, wallNow);
    }

    /// <summary>Checks the whole snapshot, then replaces the entries; see <see cref="LoadAsync"/>.</summary>
    internal CacheSnapshotResult Load(ReadOnlyMemory<byte> snapshot)
    {
        var (entries, skipped) = SnapshotFormat.Read(snapshot, SnapshotTypes);

        // Read before the lock, for the reason given in Set.
        var now = Now();
        var wallNow = _time.GetUtcNow();
        var fresh = new List<CacheEntry>(entries.Count);
        foreach (var entry in entries)
        {
            if (entry.ExpiresAt is not { } expiresAt)
            {
                // A backend that evicts by expiry order only evicts filed entries, so its persistent entries are filed too.
                fresh.Add(_defaultLifetime > 0
                    ? new ExpiringCacheEntry(entry.Key, entry.Value, ExpiringCacheEntry.Never, ExpiringCacheEntry.Never)
                    : new CacheEntry(entry.Key, entry.Value));
            }
            else if (expiresAt - wallNow is var left && left > TimeSpan.Zero)
            {
                // The saved time to live keys the expiry list, so entries of one lifetime share a list again.
                var lifetime = ToTimestampTicks(entry.TimeToLive ?? left);
                fresh.Add(new ExpiringCacheEntry(entry.Key, entry.Value, now + ToTimestampTicks(left), lifetime, entry.Sliding));
            }
            else
            {
                skipped++;
            }
        }

        if (fresh.Count > _capacity)
        {
            skipped += fresh.Count - _capacity;
            fresh.RemoveRange(0, fresh.Count - _capacity);
        }

        if (_sizesEntries)
        {
            // A snapshot keeps no sizes: the sizer measures each entry again, outside the lock (a budget without a
            // sizer throws here, before anything changed).
            foreach (var entry in fresh)
            {
                entry.Size = SizeOf(entry.Key, entry.Value, null);
            }
        }

        var removed = new RemovalBatch(EntryRemoved is not null);
        bool startSweep;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var entry in _map.Values)
            {
                RemoveLocked(entry, CacheRemovalReason.Cleared, ref removed);
            }

            _accesses?.Discard();

            // The entries first in eviction order are left out until the rest fit the budget as it stands now.
            var total = fresh.Sum(static entry => entry.Size);
            var dropped = 0;
            while (dropped < fresh.Count && total > _maxBytes)
            {
                total -= fresh[dropped++].Size;
            }

            skipped += dropped;
            fresh.RemoveRange(0, dropped);
            foreach (var entry in fresh)
            {
                _map[entry.Key] = entry;
                _count++;
                Volatile.Write(ref _bytes, _bytes + entry.Size);
                _policy.OnAdded(entry);
            }

            // Filed in expiry order, each list is built by appending.
            var expiring = fresh.OfType<ExpiringCacheEntry>().OrderBy(static e => e.QueuedAt).ToList();
            expiring.ForEach(_expiry.Add);
            startSweep = expiring.Count > 0 && _sweep is null;
        }

        if (startSweep)
        {
            StartSweep();
        }

        removed.Raise(this, EntryRemoved);
        return new CacheSnapshotResult(fresh.Count, skipped);
    }

    /// <summary>Runs once, at the start of <see cref="Dispose()"/>, while the entries are still there (a snapshot saved at shutdown).</summary>
    internal Action<InMemoryBackend>? BeforeDispose { get; set; }

    /// <summary>Stops the background sweep and releases the entries. Later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the backend's resources.</summary>
    /// <param name="disposing"><see langword="true"/> when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        if (!_disposed && BeforeDispose is { } beforeDispose)
        {
            BeforeDispose = null;
            beforeDispose(this);
        }

        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _sweep?.Timer?.Dispose();
            _sweep = null;
            _map.Clear();
            _policy.Clear();
            _expiry.Clear();
            _accesses?.Discard();
            Volatile.Write(ref _count, 0);
            Volatile.Write(ref _bytes, 0);
        }
    }

    /// <summary>The live entries, read without counting as uses; for tests that compare against a model.</summary>
    internal Dictionary<string, object?> SnapshotLiveEntries()
    {
        var now = Now();
        var live = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var pair in _map)
        {
            var value = pair.Value.Value;
            if (!IsExpired(pair.Value, now) && !ReferenceEquals(value, CacheEntry.Detached))
            {
                live.Add(pair.Key, value);
            }
        }

        return live;
    }

    // The entry found left the backend before its value was read. Entries are detached only under the lock, and by the
    // time the lock is released the map holds what replaced the entry, or nothing; so after waiting for the lock,
    // looking again finds that, and each further round needs yet another write to the key. (Removals and writes take
    // the entry out of the map before detaching it, so they rarely make a reader wait; a time-to-live change that
    // gives an entry a new expiry detaches it first, see SwapEntryLocked.)
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryGetAgain<T>(string key, [MaybeNullWhen(false)] out T value)
    {
        _sync.Enter();
        _sync.Exit();
        return TryGet(key, out value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Unbox<T>(string key, object? stored)
    {
        if (stored is T typed)
        {
            return typed;
        }

        if (stored is null && default(T) is null)
        {
            return default!;
        }

        throw WrongType(key, stored, typeof(T));
    }

    private static InvalidCastException WrongType(string key, object? stored, Type requested) =>
        new($"The cache entry '{key}' holds {(stored is null ? "null" : "a " + stored.GetType().FullName)}, which cannot be read as {requested.FullName}.");

    private long ToTimestampTicks(TimeSpan ttl)
    {
        // Saturate far below long.MaxValue so that 'now + lifetime' cannot overflow.
        var ticks = (double)ttl.Ticks * _time.TimestampFrequency / TimeSpan.TicksPerSecond;
        return (long)Math.Clamp(Math.Ceiling(ticks), 1, long.MaxValue / 4);
    }

    private static bool IsExpired(CacheEntry entry, long now) => entry is ExpiringCacheEntry expiring && Volatile.Read(ref expiring.ExpiresAt) <= now;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RecordHit(CacheEntry entry)
    {
        if (_accesses is null)
        {
            _hits.Increment();
        }
        else if (_accesses.TryAdd(entry) != AccessBuffer.AddResult.Added)
        {
            RecordAccessSlow(entry);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordAccessSlow(CacheEntry entry)
    {
        // The buffer is full (or another thread claimed the slot): replay it if the lock is free and try once more.
        // If another thread holds the lock it is draining already, and this one record is dropped: that is the only
        // way one is lost, and only under contention. The hit is still counted.
        var accesses = _accesses!;
        if (_sync.TryEnter())
        {
            try
            {
                if (!_disposed)
                {
                    accesses.Drain(_policy);
                }
            }
            finally
            {
                _sync.Exit();
            }

            if (accesses.TryAdd(entry) == AccessBuffer.AddResult.Added)
            {
                return;
            }
        }

        _hits.Increment();
    }

    // A write over a live entry without a time to live needs no lock: the value is swapped in place and the write is
    // recorded as a use, like a hit, so the policy sees it in order. Entries with a time to live get a new expiry,
    // which must be queued under the lock. The swap is a compare-and-swap that fails once a removal (of any kind) has
    // detached the entry, so each value is handed to exactly one announcement: the swap's, or the removal's.
    private bool TryReplaceInPlace<T>(string key, T value)
    {
        if (!_map.TryGetValue(key, out var current) || current is ExpiringCacheEntry || !current.TrySwapValue(value, out var previous))
        {
            return false;
        }

        _writesRecordedAsAccesses.Increment();
        if (_accesses!.TryAdd(current) != AccessBuffer.AddResult.Added)
        {
            // Whether the slow path records the write or counts it as unrecorded, the hit count comes out unchanged.
            RecordAccessSlow(current);
        }

        if (EntryRemoved is { } handlers)
        {
            var removed = new RemovalBatch(collect: true);
            removed.Add(key, previous, CacheRemovalReason.Replaced);
            removed.Raise(this, handlers);
        }

        return true;
    }

    // The system provider's timestamp is Stopwatch's; calling it directly saves a virtual call on every read of an
    // entry with a time to live.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long Now()
    {
        Debug.Assert(!_sync.IsHeldByCurrentThread, "The TimeProvider must not be called under the lock: it may run timer callbacks that re-enter it.");
        return _systemClock ? Stopwatch.GetTimestamp() : _time.GetTimestamp();
    }

    private bool ExpireIfDue(ExpiringCacheEntry entry)
    {
        var now = Now();
        if (Volatile.Read(ref entry.ExpiresAt) > now)
        {
            if (entry.Sliding)
            {
                // Lock-free: the expiry queue catches up when the entry reaches its front (ExpiryQueue.Refile).
                entry.Slide(now);
            }

            return false;
        }

        ExpireOnRead(entry);
        return true;
    }

    private void ExpireOnRead(ExpiringCacheEntry entry)
    {
        var removed = new RemovalBatch(EntryRemoved is not null);
        lock (_sync)
        {
            if (!entry.IsRemoved && !_disposed)
            {
                RemoveLocked(entry, CacheRemovalReason.Expired, ref removed);
            }
        }

        removed.Raise(this, EntryRemoved);
    }

    private void RemoveExpired()
    {
        // Read before the lock, for the reason given in Set.
        var now = Now();
        var removed = new RemovalBatch(EntryRemoved is not null);
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            RemoveExpiredLocked(now, ref removed);
        }

        removed.Raise(this, EntryRemoved);
    }

    private void RemoveExpiredLocked(long now, ref RemovalBatch removed)
    {
        if (_expiry.Count == 0)
        {
            return;
        }

        _expiry.DequeueExpired(now, _expiredScratch);
        foreach (var entry in _expiredScratch)
        {
            RemoveLocked(entry, CacheRemovalReason.Expired, ref removed);
        }

        _expiredScratch.Clear();
    }

    // Makes room for a new entry of 'size' (at most the budget): a free slot and the bytes.
    private void MakeRoomLocked(long now, long size, ref RemovalBatch removed)
    {
        // Dead entries go first, so a live entry is never evicted while an expired one holds a slot.
        RemoveExpiredLocked(now, ref removed);
        while ((_count >= _capacity || size > _maxBytes - _bytes) && _policy.SelectVictim() is { } victim)
        {
            RemoveLocked(victim, CacheRemovalReason.Evicted, ref removed);
        }
    }

    private void RemoveLocked(CacheEntry entry, CacheRemovalReason reason, ref RemovalBatch removed)
    {
        _map.TryRemove(new KeyValuePair<string, CacheEntry>(entry.Key, entry));
        var value = entry.Detach();
        _policy.OnRemoved(entry);
        Unqueue(entry);
        Volatile.Write(ref _count, _count - 1);
        if (entry.Size != 0)
        {
            Volatile.Write(ref _bytes, _bytes - entry.Size);
        }

        if (reason == CacheRemovalReason.Evicted)
        {
            Interlocked.Increment(ref _evictions);
        }
        else if (reason == CacheRemovalReason.Expired)
        {
            Interlocked.Increment(ref _expirations);
        }

        removed.Add(entry.Key, value, reason);
    }

    // The byte budget and run-time limits: sizing a write, making room for a replacement, trimming to new limits.

    // The positional constructors name their own parameters in exceptions.
    private static InMemoryBackendOptions OptionsOf(int? capacity, TimeSpan? defaultTtl, TimeProvider? timeProvider)
    {
        if (capacity is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The capacity must be at least 1.");
        }

        if (defaultTtl is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(defaultTtl), ttl, "A time to live must be greater than zero.");
        }

        return new InMemoryBackendOptions { Capacity = capacity, DefaultTimeToLive = defaultTtl, TimeProvider = timeProvider };
    }

    private long SizeOf<T>(string key, T value, CacheEntryOptions? options)
    {
        if (options?.Size is { } given)
        {
            return given;
        }

        if (_sizer is null)
        {
            throw new InvalidOperationException(
                $"The cache entry '{key}' was written without {nameof(CacheEntryOptions)}.{nameof(CacheEntryOptions.Size)} to a backend with a byte " +
                $"budget and no sizer. Give the size with each write, or give the backend {nameof(InMemoryBackendOptions)}.{nameof(InMemoryBackendOptions.Sizer)}.");
        }

        var size = _sizer(key, value);
        return size >= 0
            ? size
            : throw new InvalidOperationException($"The backend's sizer returned {size} for the cache entry '{key}'; a size cannot be negative.");
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

    private void Enqueue(CacheEntry entry)
    {
        if (entry is ExpiringCacheEntry expiring)
        {
            _expiry.Add(expiring);
        }
    }

    // Creating a timer is a call into the TimeProvider too, so it happens outside the lock; of two writers that race
    // here, the second disposes the timer it made.
    private void StartSweep()
    {
        var sweep = SweepState.Start(this, _time);
        lock (_sync)
        {
            if (_sweep is null && !_disposed)
            {
                _sweep = sweep;
                return;
            }
        }

        sweep.Timer?.Dispose();
    }

    private void Unqueue(CacheEntry entry)
    {
        if (entry is ExpiringCacheEntry expiring)
        {
            _expiry.Remove(expiring);
        }
    }

    /// <summary>
    /// The sweep timer's state. It reaches the backend only through a weak reference, so the timer (which
    /// the runtime keeps alive) does not keep an abandoned backend alive; it stops itself once the backend
    /// is gone.
    /// </summary>
    private sealed class SweepState
    {
        private readonly WeakReference<InMemoryBackend> _owner;

        private SweepState(InMemoryBackend owner) => _owner = new WeakReference<InMemoryBackend>(owner);

        internal ITimer? Timer { get; private set; }

        internal static SweepState Start(InMemoryBackend owner, TimeProvider time)
        {
            var state = new SweepState(owner);

            // Do not capture the caller's ExecutionContext (and its AsyncLocals) in a long-lived timer.
            using (ExecutionContext.SuppressFlow())
            {
                state.Timer = time.CreateTimer(static s => ((SweepState)s!).Tick(), state, SweepInterval, SweepInterval);
            }

            return state;
        }

        private void Tick()
        {
            if (_owner.TryGetTarget(out var owner))
            {
                if (!owner._disposed)
                {
                    owner.RemoveExpired();
                }
            }
            else
            {
                Timer?.Dispose();
            }
        }
    }
}
