using System.Numerics;

namespace Cacheweave.Backends.Lfu;

/// <summary>
/// Remembers the keys that recently left W-TinyLFU's two regions — window candidates that lost their duel and main
/// region victims — and tells, when one of them is requested again, which region would have kept it had it been
/// larger by a <em>horizon</em> of one eighth of the capacity. A key counts only while fewer than that many entries
/// have left its region after it: a window larger by the horizon would still hold a candidate that left within the
/// window's last horizon departures (admitted or not), a main region larger by the horizon a victim within its last
/// horizon evictions. <see cref="TinyLfuPolicy"/> feeds these "ghost" returns to the <see cref="HillClimber"/> for its
/// first move, the one a hit rate compared with nothing cannot direct, and drops the ghosts after it. Not
/// thread-safe; the owning backend's lock guards it.
/// </summary>
/// <remarks>
/// A direct-mapped table of twice the horizon (rounded up to a power of two; 2 to 4 bytes per entry of capacity,
/// for the first sample period only), one <see langword="long"/> per ghost: the key's hash and region in
/// the high half, the region's departure count when it left in the low half. A newer ghost overwrites an older one
/// in its slot. Hashes come from <see cref="KeyHash"/> with their two low bits clear; those bits carry the region.
/// </remarks>
internal sealed class EvictionGhosts
{
    /// <summary>The horizon as a share of the capacity.</summary>
    internal const double HorizonShare = 0.125;

    private const int RegionMask = 3;

    // 8 MB: past about four million entries of capacity, ghosts share slots (an overwritten ghost just goes uncounted).
    private const int MaxSlots = 1 << 20;

    private readonly long[] _slots;
    private readonly int _slotShift;
    private readonly int _horizon;
    private int _windowDepartures;
    private int _mainDepartures;

    internal EvictionGhosts(int capacity)
    {
        _horizon = Math.Max(1, (int)(HorizonShare * capacity));
        var length = Math.Min(BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, 2 * _horizon)), MaxSlots);
        _slots = new long[length];
        _slotShift = 32 - BitOperations.Log2(length);
    }

    /// <summary>A window candidate left the window: admitted to the main region or, when <paramref name="evicted"/>, out of the cache.</summary>
    /// <param name="hash">The candidate's hash (two low bits clear).</param>
    /// <param name="evicted">Whether it left the cache (lost its duel).</param>
    internal void LeftWindow(int hash, bool evicted)
    {
        _windowDepartures++;
        if (evicted)
        {
            Bury(hash | (int)GhostRegion.Window, _windowDepartures);
        }
    }

    /// <summary>The main region's victim left the cache.</summary>
    /// <param name="hash">The victim's hash (two low bits clear).</param>
    internal void LeftMain(int hash) => Bury(hash | (int)GhostRegion.Main, ++_mainDepartures);

    /// <summary>
    /// A key was requested and missed: the region that would have kept it had it been larger by the horizon, or
    /// <see cref="GhostRegion.None"/>. A ghost answers once.
    /// </summary>
    /// <param name="hash">The key's hash (two low bits clear).</param>
    internal GhostRegion Returned(int hash)
    {
        ref var slot = ref _slots[SlotOf(hash)];
        var tagged = (int)(slot >> 32);
        var region = (GhostRegion)(tagged & RegionMask);
        if (region == GhostRegion.None || (tagged & ~RegionMask) != hash)
        {
            return GhostRegion.None;
        }

        var departed = (int)slot;
        slot = 0;
        var since = (region == GhostRegion.Window ? _windowDepartures : _mainDepartures) - departed;
        return since < _horizon ? region : GhostRegion.None;
    }

    private void Bury(int tagged, int departure) => _slots[SlotOf(tagged & ~RegionMask)] = ((long)tagged << 32) | (uint)departure;

    private int SlotOf(int hash) => (int)(((uint)hash * 0x9E37_79B9u) >> _slotShift);
}
