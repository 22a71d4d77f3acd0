using Cacheweave.Backends;

namespace Cacheweave.Tests.Backends.Model;

/// <summary>
/// The specification of the in-memory backends as a plain list: slow, obviously right, single-threaded.
/// </summary>
/// <remarks>
/// <para>
/// An entry is dead from the instant now &gt;= written + time to live; a dead entry is invisible to every
/// operation, so the model drops dead entries before each one (when the backend drops them is not
/// observable in its live contents). Writing a key whose entry is dead writes a new entry.
/// </para>
/// <para>
/// A write of a new key into a full cache evicts one live entry, chosen by the policy:
/// LRU (and LRU+TTL) the least recently used, where a hit or a write is a use; LFU the lowest use count
/// (1 when written, +1 per hit and per replacing write), and among those the one that reached its count
/// first; TTL the soonest to expire, and among those the one written first (replacing counts as writing);
/// FIFO the one inserted first (replacing keeps the place). Writing an existing live key replaces it and, without a
/// byte budget, never evicts.
/// </para>
/// <para>
/// With a byte budget every entry has a size. A put larger than the whole budget is refused, and takes the key's
/// live entry with it. A put of a new key evicts by the policy until both the count and the bytes fit; a replacing
/// put evicts, in the policy's order before the write, until the bytes fit with the old size freed, and if the
/// policy reaches the entry being replaced, that entry is evicted and the put inserts the key anew. Lowering a limit
/// evicts by the policy until the entries fit it.
/// </para>
/// </remarks>
internal sealed class ReferenceCache
{
    private readonly BackendPolicy _policy;
    private readonly TimeSpan? _defaultTimeToLive;
    private readonly List<Entry> _entries = [];
    private readonly List<(string Key, int Value)> _evicted = [];
    private long _clock;

    public ReferenceCache(BackendPolicy policy, int capacity, TimeSpan? defaultTimeToLive, long? maxBytes = null)
    {
        _policy = policy;
        Capacity = capacity;
        MaxBytes = maxBytes ?? long.MaxValue;
        _defaultTimeToLive = defaultTimeToLive;
    }

    public int Capacity { get; private set; }

    public long MaxBytes { get; private set; }

    /// <summary>The sum of the sizes of the entries held (dead ones included until an operation drops them).</summary>
    public long Bytes => _entries.Sum(e => e.Size);

    /// <summary>How many puts were refused as larger than the whole budget.</summary>
    public int Refused { get; private set; }

    public long Hits { get; private set; }

    public long Misses { get; private set; }

    public long Expirations { get; private set; }

    /// <summary>The evicted entries, in eviction order.</summary>
    public IReadOnlyList<(string Key, int Value)> Evicted => _evicted;

    public CacheResult<int> Get(string key, DateTimeOffset now)
    {
        DropDead(now);
        var entry = Find(key);
        if (entry is null)
        {
            Misses++;
            return CacheResult<int>.Miss;
        }

        Hits++;
        if (_policy is not BackendPolicy.Ttl)
        {
            entry.Uses++;
            entry.LastUse = ++_clock;
        }

        return new CacheResult<int>(entry.Value);
    }

    /// <returns><see langword="false"/> when the put is refused as larger than the whole byte budget.</returns>
    public bool Put(string key, int value, TimeSpan? timeToLive, DateTimeOffset now, long size = 0)
    {
        DropDead(now);
        var expiresAt = (timeToLive ?? _defaultTimeToLive) is { } ttl ? now + ttl : (DateTimeOffset?)null;
        var entry = Find(key);
        if (size > MaxBytes)
        {
            if (entry is not null)
            {
                _entries.Remove(entry);
            }

            Refused++;
            return false;
        }

        while (entry is not null && Bytes - entry.Size + size > MaxBytes)
        {
            if (Evict() == entry)
            {
                entry = null;
            }
        }

        if (entry is not null)
        {
            entry.Value = value;
            entry.ExpiresAt = expiresAt;
            entry.Size = size;
            entry.Uses++;
            entry.LastUse = entry.Written = ++_clock;
            return true;
        }

        while (_entries.Count >= Capacity || Bytes + size > MaxBytes)
        {
            Evict();
        }

        ++_clock;
        _entries.Add(new Entry(key) { Value = value, ExpiresAt = expiresAt, Size = size, Uses = 1, LastUse = _clock, Written = _clock, Inserted = _clock });
        return true;
    }

    public void Resize(int capacity, DateTimeOffset now)
    {
        DropDead(now);
        Capacity = capacity;
        while (_entries.Count > Capacity)
        {
            Evict();
        }
    }

    public void ResizeBytes(long maxBytes, DateTimeOffset now)
    {
        DropDead(now);
        MaxBytes = maxBytes;
        while (Bytes > MaxBytes)
        {
            Evict();
        }
    }

    public bool Remove(string key, DateTimeOffset now)
    {
        DropDead(now);
        var entry = Find(key);
        return entry is not null && _entries.Remove(entry);
    }

    /// <summary>The live entries at <paramref name="now"/>, by key.</summary>
    public Dictionary<string, int> LiveEntries(DateTimeOffset now)
    {
        DropDead(now);
        return _entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
    }

    private Entry? Find(string key) => _entries.Find(e => e.Key == key);

    private void DropDead(DateTimeOffset now) => Expirations += _entries.RemoveAll(e => now >= e.ExpiresAt);

    private Entry Evict()
    {
        var victim = SelectVictim();
        _entries.Remove(victim);
        _evicted.Add((victim.Key, victim.Value));
        return victim;
    }

    private Entry SelectVictim() => _policy switch
    {
        BackendPolicy.Lru or BackendPolicy.LruTtl => _entries.MinBy(e => e.LastUse)!,
        BackendPolicy.Lfu => _entries.OrderBy(e => e.Uses).ThenBy(e => e.LastUse).First(),
        BackendPolicy.Ttl => _entries.OrderBy(e => e.ExpiresAt ?? DateTimeOffset.MaxValue).ThenBy(e => e.Written).First(),
        BackendPolicy.Fifo => _entries.MinBy(e => e.Inserted)!,
        _ => throw new ArgumentOutOfRangeException(nameof(_policy), _policy, null),
    };

    private sealed class Entry(string key)
    {
        public string Key { get; } = key;

        public int Value { get; set; }

        public DateTimeOffset? ExpiresAt { get; set; }

        /// <summary>LFU use count.</summary>
        public int Uses { get; set; }

        /// <summary>When the entry was last used (LRU) or reached its use count (LFU), on the model's logical clock.</summary>
        public long LastUse { get; set; }

        /// <summary>When the entry was last written, on the model's logical clock (TTL tie-break).</summary>
        public long Written { get; set; }

        /// <summary>When the key was inserted (not replaced), on the model's logical clock (FIFO order).</summary>
        public long Inserted { get; set; }

        /// <summary>What the entry counts against the byte budget.</summary>
        public long Size { get; set; }
    }
}
