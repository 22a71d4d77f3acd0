using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cacheweave.Backends.Counters;

/// <summary>
/// The frequency history of TinyLFU (Einziger, Friedman and Manes, "TinyLFU: A Highly Efficient Cache Admission
/// Policy", 2017): a count-min sketch of 4-bit counters, four per key, each read as the minimum of the four. It
/// remembers keys that are no longer cached, which is what lets a returning key beat a resident one it has been
/// used more often than. Counts age: once the number of recorded uses reaches ten times the capacity, every
/// counter is halved, so that yesterday's favourites give way (see <see cref="Age"/>). Not thread-safe; the
/// owning backend's lock guards it.
/// </summary>
/// <remarks>
/// Sixteen 4-bit counters share one <see langword="long"/>; a key's four counters sit in four different words of
/// a table sized to the capacity rounded up to a power of two (8 bytes per entry of capacity). The estimate is at
/// most 15: enough to tell hot from cold, which is all admission asks. There is no doorkeeper (a Bloom filter that
/// keeps a key's first use in a period out of the counters): it made a key just seen look warmer than a resident
/// used as often but before the filter was last cleared, so on loop-like traces candidates displaced residents
/// and the cache churned (loop at 100 entries: 0.69% with it, 5.34% without; see docs/architecture.md).
/// </remarks>
internal sealed class CountMinSketch
{
    private const long ResetMask = 0x7777_7777_7777_7777L;
    private const long OneMask = 0x1111_1111_1111_1111L;
    private const int MaxTableLength = 1 << 26;

    // Each row rehashes the key with its own seed.
    private const ulong Seed0 = 0xC3A5_C85C_97CB_3127UL;
    private const ulong Seed1 = 0xB492_B66F_BE98_F273UL;
    private const ulong Seed2 = 0x9AE1_6A3B_2F90_404FUL;
    private const ulong Seed3 = 0xCBF2_9CE4_8422_2325UL;
    private const ulong Golden = 0x9E37_79B9_7F4A_7C15UL;

    private readonly long[] _table;
    private readonly int _tableMask;
    private readonly int _sampleSize;
    private int _additions;

    /// <summary>Creates a sketch for a cache of <paramref name="capacity"/> entries.</summary>
    internal CountMinSketch(int capacity)
    {
        var length = (int)Math.Min(BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 8)), MaxTableLength);
        _table = new long[length];
        _tableMask = length - 1;
        _sampleSize = (int)Math.Min(10L * Math.Max(capacity, 1), int.MaxValue);
    }

    /// <summary>The number of recorded uses after which the counts age.</summary>
    internal int SampleSize => _sampleSize;

    /// <summary>How many times the counts have been halved; for tests.</summary>
    internal int Resets { get; private set; }

    /// <summary>The estimated number of uses of the key with <paramref name="hash"/> in the recent past (0 to 15).</summary>
    internal int Estimate(int hash)
    {
        var spread = Spread(hash);
        ref var table = ref MemoryMarshal.GetArrayDataReference(_table);
        var mask = _tableMask;
        var c0 = Counter(ref table, mask, RowHash(spread, Seed0), 0);
        var c1 = Counter(ref table, mask, RowHash(spread, Seed1), 16);
        var c2 = Counter(ref table, mask, RowHash(spread, Seed2), 32);
        var c3 = Counter(ref table, mask, RowHash(spread, Seed3), 48);
        return Math.Min(Math.Min(c0, c1), Math.Min(c2, c3));
    }

    /// <summary>Records one use of the key with <paramref name="hash"/>, ageing every count when a period ends.</summary>
    internal void Increment(int hash)
    {
        var spread = Spread(hash);
        ref var table = ref MemoryMarshal.GetArrayDataReference(_table);
        var mask = _tableMask;
        Add(ref table, mask, RowHash(spread, Seed0), 0);
        Add(ref table, mask, RowHash(spread, Seed1), 16);
        Add(ref table, mask, RowHash(spread, Seed2), 32);
        Add(ref table, mask, RowHash(spread, Seed3), 48);

        if (++_additions >= _sampleSize)
        {
            Age();
        }
    }

    // Halves every counter, rounding up, so a key used once keeps an estimate of 1 ("seen before", unlike a key
    // never seen) until its counters are shared with a busier key's. Plain halving measured slightly worse in the
    // lab (OLTP at 5,000 entries 0.7 points lower). The number of recorded uses is halved and reduced by a quarter
    // of the odd counters, as Caffeine does, so that the next period starts in proportion.
    private void Age()
    {
        var odd = 0;
        for (var i = 0; i < _table.Length; i++)
        {
            odd += BitOperations.PopCount((ulong)(_table[i] & OneMask));
            _table[i] = ((_table[i] >>> 1) & ResetMask) + (_table[i] & OneMask);
        }

        _additions = (_additions - (odd >>> 2)) >>> 1;
        Resets++;
    }

    // A row's hash: its low bits pick the word, its two high bits the counter within the row's quarter of that word
    // (rows own the quarters 0-15, 16-31, 32-47 and 48-63 of every word), so a key's four counters never share one.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong RowHash(ulong spread, ulong seed)
    {
        var h = (spread + seed) * Golden;
        return h ^ (h >> 32);
    }

    // The table's length is a power of two and the index is masked by length - 1, so the reads and writes below stay
    // inside it without a bounds check.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Counter(ref long table, int mask, ulong rowHash, int rowShift)
    {
        var shift = rowShift + (int)((rowHash >> 62) << 2);
        return (int)((ulong)Unsafe.Add(ref table, (int)rowHash & mask) >> shift) & 0xF;
    }

    // Adds one to the counter unless it is at 15 (adding to a nibble below 15 never carries into its neighbour).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref long table, int mask, ulong rowHash, int rowShift)
    {
        ref var word = ref Unsafe.Add(ref table, (int)rowHash & mask);
        var shift = rowShift + (int)((rowHash >> 62) << 2);
        var count = ((ulong)word >> shift) & 0xF;
        word += (long)(((count + 1) >> 4) ^ 1) << shift;
    }

    // A 64-bit finaliser (splitmix64's) turns a 32-bit hash code into well-mixed bits for the rows.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Spread(int hash)
    {
        var x = (ulong)(uint)hash * Golden;
        x = (x ^ (x >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return x ^ (x >> 31);
    }
}
