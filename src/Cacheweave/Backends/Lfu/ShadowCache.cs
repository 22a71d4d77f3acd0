using System.Numerics;
using Cacheweave.Backends.Counters;

namespace Cacheweave.Backends.Lfu;

/// <summary>
/// A miniature W-TinyLFU that holds key hashes only, with a fixed admission window: <see cref="WindowTuner"/> feeds
/// several of them a sample of the cache's requests and compares their hits to learn which window size the workload
/// wants. It follows <see cref="TinyLfuPolicy"/>'s rules (LRU window, segmented-LRU main region with 80% protected,
/// the window's least recent entry admitted only when estimated more than the margin above the main region's victim)
/// and reads its estimates from the real cache's <see cref="CountMinSketch"/>, which counts every request. Not
/// thread-safe; the owning backend's lock guards it.
/// </summary>
/// <remarks>
/// Allocation-free after construction: the entries are parallel arrays linked by index, found through an
/// open-addressing table of twice the capacity (linear probing, deletion by backward shift). About 24 bytes per
/// entry. Keys with equal hashes share an entry, which only blurs the comparison a little.
/// </remarks>
internal sealed class ShadowCache
{
    private const int None = -1;
    private const int Window = 0;
    private const int Probation = 1;
    private const int Protected = 2;

    private readonly CountMinSketch _sketch;
    private readonly int _capacity;
    private readonly int _protectedMax;
    private readonly int[] _hashes;
    private readonly int[] _previous;
    private readonly int[] _next;
    private readonly byte[] _segments;
    private readonly int[] _table;
    private readonly int _tableShift;
    private readonly int[] _first = [None, None, None];
    private readonly int[] _last = [None, None, None];
    private readonly int[] _counts = new int[3];
    private int _count;

    /// <param name="capacity">The most entries; at least 1.</param>
    /// <param name="windowMax">The most entries of the admission window; between 1 and <paramref name="capacity"/>.</param>
    /// <param name="sketch">The real cache's frequency sketch.</param>
    internal ShadowCache(int capacity, int windowMax, CountMinSketch sketch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowMax, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowMax, capacity);

        _sketch = sketch;
        _capacity = capacity;
        WindowMax = windowMax;
        _protectedMax = (int)(TinyLfuPolicy.ProtectedShare * (capacity - windowMax));
        _hashes = new int[capacity];
        _previous = new int[capacity];
        _next = new int[capacity];
        _segments = new byte[capacity];
        var tableSize = (int)BitOperations.RoundUpToPowerOf2((uint)(2 * capacity));
        _table = new int[tableSize];
        _tableShift = 32 - BitOperations.Log2((uint)tableSize);
    }

    /// <summary>The most entries of the admission window.</summary>
    internal int WindowMax { get; }

    /// <summary>How many hashes the shadow holds; for tests.</summary>
    internal int Count => _count;

    /// <summary>Whether the shadow holds <paramref name="hash"/>; for tests.</summary>
    internal bool Contains(int hash) => _table[SlotOf(hash)] != 0;

    /// <summary>Plays one request: a hit updates recency, a miss admits the key and evicts as W-TinyLFU does.</summary>
    /// <returns>Whether the request was a hit.</returns>
    internal bool Access(int hash, int margin)
    {
        var slot = SlotOf(hash);
        var node = _table[slot] - 1;
        if (node != None)
        {
            OnHit(node);
            return true;
        }

        if (_count < _capacity)
        {
            node = _count++;
        }
        else
        {
            node = Evict(margin);
            Forget(_hashes[node]);

            // The eviction may have shifted entries into the slot found above.
            slot = SlotOf(hash);
        }

        _hashes[node] = hash;
        _table[slot] = node + 1;
        AddFirst(node, Window);
        while (_counts[Window] > WindowMax)
        {
            Move(_last[Window], Probation);
        }

        return false;
    }

    private void OnHit(int node)
    {
        switch (_segments[node])
        {
            case Window:
                Move(node, Window);
                break;
            case Probation:
                Move(node, Protected);
                while (_counts[Protected] > _protectedMax)
                {
                    Move(_last[Protected], Probation);
                }

                break;
            default:
                Move(node, Protected);
                break;
        }
    }

    // Unlinks and returns the entry to evict: the main region's victim, or the window's candidate when it is not
    // estimated more than the margin above that victim.
    private int Evict(int margin)
    {
        var victim = _last[Probation] != None ? _last[Probation] : _last[Protected];
        var candidate = _last[Window];
        int evicted;
        if (_counts[Window] < WindowMax || candidate == None)
        {
            evicted = victim != None ? victim : candidate;
        }
        else if (victim == None)
        {
            evicted = candidate;
        }
        else if (_sketch.Estimate(_hashes[candidate]) - _sketch.Estimate(_hashes[victim]) > margin)
        {
            Move(candidate, Probation);
            evicted = victim;
        }
        else
        {
            evicted = candidate;
        }

        Unlink(evicted);
        return evicted;
    }

    // The slot holding hash, or the empty slot where it would go.
    private int SlotOf(int hash)
    {
        var mask = _table.Length - 1;
        var slot = Home(hash);
        while (_table[slot] != 0 && _hashes[_table[slot] - 1] != hash)
        {
            slot = (slot + 1) & mask;
        }

        return slot;
    }

    private int Home(int hash) => (int)((uint)(hash ^ (hash >>> 15)) * 0x85EB_CA6Bu >> _tableShift);

    // Removes hash from the table, shifting back the entries of its probe run so that lookups need no tombstones.
    private void Forget(int hash)
    {
        var mask = _table.Length - 1;
        var hole = SlotOf(hash);
        var slot = hole;
        while (true)
        {
            slot = (slot + 1) & mask;
            var occupant = _table[slot];
            if (occupant == 0)
            {
                break;
            }

            // An occupant whose home lies cyclically after the hole (up to its own slot) must stay where it is.
            var home = Home(_hashes[occupant - 1]);
            if (((slot - home) & mask) >= ((slot - hole) & mask))
            {
                _table[hole] = occupant;
                hole = slot;
            }
        }

        _table[hole] = 0;
    }

    private void Move(int node, int segment)
    {
        Unlink(node);
        AddFirst(node, segment);
    }

    private void AddFirst(int node, int segment)
    {
        _segments[node] = (byte)segment;
        _previous[node] = None;
        _next[node] = _first[segment];
        if (_first[segment] != None)
        {
            _previous[_first[segment]] = node;
        }
        else
        {
            _last[segment] = node;
        }

        _first[segment] = node;
        _counts[segment]++;
    }

    private void Unlink(int node)
    {
        var segment = _segments[node];
        var previous = _previous[node];
        var next = _next[node];
        if (previous != None)
        {
            _next[previous] = next;
        }
        else
        {
            _first[segment] = next;
        }

        if (next != None)
        {
            _previous[next] = previous;
        }
        else
        {
            _last[segment] = previous;
        }

        _counts[segment]--;
    }
}
