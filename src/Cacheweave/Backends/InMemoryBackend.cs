using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Cacheweave.Backends.Buffers;
using Cacheweave.Backends.Counters;
using Cacheweave.Backends.Engine;
using Cacheweave.Backends.Expiry;
using Cacheweave.Keys;

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
public abstract partial class InMemoryBackend : ICacheBackend, IDisposable
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
    public bool TryGet<T>(string key, [MaybeNullWhen(false)] out T value) => TryGet(key, out value, out _);

    /// <summary>
    /// Looks up the key of <paramref name="handle"/>, starting from the entry found under it last time: while that
    /// entry is live (not detached, not expired) it is the key's entry, and the map is not read. Otherwise the map is
    /// read as by <see cref="TryGet{T}(string, out T)"/> and the handle remembers what it found.
    /// </summary>
    /// <remarks>
    /// Sound because every way out of the map detaches the entry under the lock (after it left the map), and an
    /// in-place write changes the value of the same entry. A reader that meets the entry between its leaving the map
    /// and its detaching reads the value the concurrent write or removal is replacing, as a reader of the map just
    /// before it would have. Only the plan that owns <paramref name="handle"/> calls this, always on the same backend.
    /// </remarks>
    internal bool TryGetRemembered<T>(KeyHandle handle, [MaybeNullWhen(false)] out T value)
    {
        var entry = handle.Entry;
        if (entry is not null && !_disposed && (entry is not ExpiringCacheEntry expiring || !ExpireIfDue(expiring)))
        {
            // Read once, as in TryGet(string).
            var stored = entry.Value;
            if (!ReferenceEquals(stored, CacheEntry.Detached))
            {
                value = Unbox<T>(handle.Key, stored);
                RecordHit(entry);
                return true;
            }
        }

        var hit = TryGet(handle.Key, out value, out entry);

        // On a miss this drops the dead entry, so that the handle does not keep it alive.
        handle.Entry = entry;
        return hit;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryGet<T>(string key, [MaybeNullWhen(false)] out T value, out CacheEntry? found)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ObjectDisposedException.ThrowIf(_disposed, this);

        if (_map.TryGetValue(key, out var entry) && (entry is not ExpiringCacheEntry expiring || !ExpireIfDue(expiring)))
        {
            // Read once: a write may swap it in place, and a removal detaches it.
            var stored = entry.Value;
            if (ReferenceEquals(stored, CacheEntry.Detached))
            {
                return TryGetAgain(key, out value, out found);
            }

            value = Unbox<T>(key, stored);
            RecordHit(entry);
            found = entry;
            return true;
        }

        _misses.Increment();
        value = default;
        found = null;
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
    /// a size below 0 or above <see cref="int.MaxValue"/>.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="options"/> gives a size above <see cref="int.MaxValue"/>.</exception>
    public void Set<T>(string key, T value, CacheEntryOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ObjectDisposedException.ThrowIf(_disposed, this);

        CacheEntryOptions.ThrowIfSlidingWithoutTimeToLive(options, nameof(options));
        var lifetime = options?.TimeToLive is { } ttl ? ToTimestampTicks(ttl) : _defaultLifetime;
        if (!_sizesEntries && TryReplaceInPlace(key, value, lifetime, options?.Sliding == true))
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

            // Every record is replayed before a removal, as before a write: see DrainBeforeRemoval.
            DrainBeforeRemoval();
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
            DrainBeforeRemoval();

            // Out of the map first, then detached, as everywhere: a reader that meets a detached entry must not
            // find it in the map again.
            var entries = _map.Values;
            _map.Clear();
            foreach (var entry in entries)
            {
                removed.Add(entry.Key, entry.Detach(), CacheRemovalReason.Cleared);

                // Unlinked as a removal unlinks: a key handle may keep this dead entry until its key is next read,
                // and with its links it would keep every other cleared entry alive too.
                entry.Prev = null;
                entry.Next = null;
                if (entry is ExpiringCacheEntry expiring)
                {
                    expiring.ExpiryPrev = null;
                    expiring.ExpiryNext = null;
                }
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
    private bool TryGetAgain<T>(string key, [MaybeNullWhen(false)] out T value, out CacheEntry? found)
    {
        _sync.Enter();
        _sync.Exit();
        return TryGet(key, out value, out found);
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RecordHit(CacheEntry entry)
    {
        if (_accesses is null)
        {
            _hits.Increment();
        }
        else
        {
            var result = _accesses.TryAdd(entry);
            if (result != AccessBuffer.AddResult.Added)
            {
                RecordAccessSlow(entry, result);
            }
        }
    }

    // The buffer's stripe is full, or another thread claimed the same slot at the same moment.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordAccessSlow(CacheEntry entry, AccessBuffer.AddResult result)
    {
        var accesses = _accesses!;
        if (result == AccessBuffer.AddResult.Full)
        {
            // Replay the stripe here if the lock is free. When another thread holds it (replaying its own stripe, or
            // writing), this record is dropped rather than queued behind that thread: waiting made every reader of a
            // busy cache take turns doing policy work, and a 2-thread read/write mix ran at the speed of one thread.
            // The next few replays are then sampled (AccessBuffer.NoteContention). Only another thread can hold the
            // lock here, so a single thread's records stay complete and in order and a replayed trace gives the same
            // result every time; only concurrent readers sample, as Caffeine's and BitFaster's read buffers do.
            if (_sync.TryEnter())
            {
                try
                {
                    if (!_disposed)
                    {
                        accesses.DrainOwn(_policy);
                    }
                }
                finally
                {
                    _sync.Exit();
                }
            }
            else
            {
                accesses.NoteContention();
            }
        }

        // After a replay, or once more after losing the slot to another thread: if this fails too (the stripe is still
        // full because another thread held the lock, or another thread sharing the stripe took the slot again), this
        // one record is dropped. The hit is still counted.
        if (accesses.TryAdd(entry) != AccessBuffer.AddResult.Added)
        {
            _hits.Increment();
        }
    }

    // The policy sees every access recorded before a removal, so its state never depends on when a reader's replay
    // ran (TinyLFU counts a replayed use of an entry that was removed since). Call under the lock.
    private void DrainBeforeRemoval() => _accesses?.Drain(_policy);

    // A write over a live entry of the same kind (no time to live, or the same lifetime and sliding setting) reuses the
    // entry: no allocation, no change to the map. The value is swapped in place and, in a backend that records
    // accesses, the write is recorded as a use, like a hit, so the policy sees it in order. The swap is a
    // compare-and-swap that fails once a removal (of any kind) has detached the entry, so each value is handed to
    // exactly one announcement: the swap's, or the removal's.
    // An expiring entry's expiry is pushed forward first, lock-free and never backward, exactly as a sliding hit does,
    // and the expiry queue re-files the entry when it reaches the front (ExpiryQueue.Refile). Pushing before swapping
    // means a concurrent reader never sees the new value under the old expiry (which could expire it at once); it may
    // see the old value under the new expiry, that is the old value read just before the write completes. A removal
    // that detaches the entry between the two (an expiry on a read, the sweep) makes the swap fail, and the write then
    // takes the lock and makes a new entry. The lazy re-filing has one visible effect: entries that expire at the
    // very same timestamp (possible with a fake clock) are dropped in the order of their re-filing rather than of
    // their writes. Backends without access records evict by expiry order (TTL) or insertion order (FIFO), where
    // that order decides evictions, so they re-file a rewritten expiring entry under the lock (TryRewriteLocked).
    private bool TryReplaceInPlace<T>(string key, T value, long lifetime, bool sliding)
    {
        if (!_map.TryGetValue(key, out var current))
        {
            return false;
        }

        if (current is ExpiringCacheEntry expiring)
        {
            if (expiring.Lifetime != lifetime || expiring.Sliding != sliding)
            {
                return false;
            }

            if (_accesses is null)
            {
                // Evicting by expiry order (or insertion order), where a rewrite must be re-filed at once.
                return TryRewriteLocked(expiring, value);
            }

            if (!TryExtend(expiring))
            {
                return false;
            }
        }
        else if (lifetime != 0)
        {
            return false;
        }

        if (!current.TrySwapValue(value, out var previous))
        {
            return false;
        }

        if (_accesses is not null)
        {
            _writesRecordedAsAccesses.Increment();
            var result = _accesses.TryAdd(current);
            if (result != AccessBuffer.AddResult.Added)
            {
                // Whether the slow path records the write or counts it as unrecorded, the hit count comes out unchanged.
                RecordAccessSlow(current, result);
            }
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
}
