namespace Cacheweave.Resilience;

/// <summary>
/// The removals a <see cref="ResilientCacheBackend"/> could not deliver to its tier: one entry per key (a later failure
/// of the same key only renews it), at most a fixed number of keys, and beyond that a single "clear everything" that
/// stands for the keys it no longer tracks.
/// </summary>
/// <remarks>
/// Every change stamps the entry with a new generation. A replay or a later successful write removes an entry only if
/// its generation is still the one it saw, so a failure that arrives while the entry is being replayed keeps it.
/// </remarks>
internal sealed class PendingInvalidations(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _keys = new(StringComparer.Ordinal);
    private long _generation;
    private long _allGeneration;
    private int _size;

    /// <summary>Nothing is pending; a lock-free read for the hot path.</summary>
    public bool IsEmpty => Volatile.Read(ref _size) == 0;

    /// <summary>The number of keys pending, plus one while a clear of everything is pending.</summary>
    public int Count => Volatile.Read(ref _size);

    /// <summary>Whether reads of <paramref name="key"/> must not be trusted: the key, or everything, is pending.</summary>
    public bool Covers(string key)
    {
        if (IsEmpty)
        {
            return false;
        }

        lock (_gate)
        {
            return _allGeneration != 0 || _keys.ContainsKey(key);
        }
    }

    /// <summary>The generation of the entry of <paramref name="key"/>; 0 when the key is not pending.</summary>
    public long GenerationOf(string key)
    {
        if (IsEmpty)
        {
            return 0;
        }

        lock (_gate)
        {
            return _keys.TryGetValue(key, out var generation) ? generation : 0;
        }
    }

    /// <summary>Remembers a removal of <paramref name="key"/>; <see langword="false"/> when the bound was hit and everything is now pending.</summary>
    public bool Add(string key)
    {
        lock (_gate)
        {
            var generation = ++_generation;
            if (_keys.Count >= capacity && !_keys.ContainsKey(key))
            {
                _keys.Clear();
                _allGeneration = generation;
                Publish();
                return false;
            }

            _keys[key] = generation;
            Publish();
            return true;
        }
    }

    /// <summary>Remembers that everything must be removed (a failed clear, or the bound was hit).</summary>
    public void AddAll()
    {
        lock (_gate)
        {
            _keys.Clear();
            _allGeneration = ++_generation;
            Publish();
        }
    }

    /// <summary>Forgets the entry of <paramref name="key"/> if it still has <paramref name="generation"/>.</summary>
    public void Resolve(string key, long generation)
    {
        if (generation == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_keys.TryGetValue(key, out var current) && current == generation)
            {
                _keys.Remove(key);
                Publish();
            }
        }
    }

    /// <summary>The generation of the pending clear of everything; 0 when there is none.</summary>
    public long AllGeneration
    {
        get
        {
            lock (_gate)
            {
                return _allGeneration;
            }
        }
    }

    /// <summary>Forgets the clear of everything if it still has <paramref name="generation"/>; keys added since stay.</summary>
    public void ResolveAll(long generation)
    {
        lock (_gate)
        {
            if (_allGeneration == generation)
            {
                _allGeneration = 0;
                Publish();
            }
        }
    }

    /// <summary>A copy of the pending keys and their generations, to replay without holding the lock.</summary>
    public KeyValuePair<string, long>[] Keys()
    {
        lock (_gate)
        {
            return [.. _keys];
        }
    }

    private void Publish() => Volatile.Write(ref _size, _keys.Count + (_allGeneration != 0 ? 1 : 0));
}
