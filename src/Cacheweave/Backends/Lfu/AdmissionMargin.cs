using System.Runtime.CompilerServices;

namespace Cacheweave.Backends.Lfu;

/// <summary>
/// Learns, per cache, how far ahead of the main region's victim a window candidate must be estimated to be admitted:
/// one use (<see cref="Margin"/> 0, as Caffeine and BitFaster's <c>ConcurrentLfu</c> do) or two (<see cref="Margin"/> 1).
/// Cyclic workloads (loops, zigzags) want two: the candidate's estimate counts the use that brought it in while the
/// resident's next use is still to come, so "one ahead" is that bias alone. Others (OLTP, gli) want one. The learner
/// watches the duels the two margins decide differently — the candidate estimated exactly one above the victim — and
/// remembers the pair; whichever of the two keys is requested again first is the one the cache should have kept.
/// The margin starts at 0 and rises to 1 only on strong evidence (a score of <see cref="RaiseScore"/> verdicts more
/// for residents than for candidates); two more verdicts for candidates than for residents
/// (<see cref="LowerScore"/>) bring it back. Not thread-safe; the owning backend's lock guards it.
/// </summary>
/// <remarks>
/// A disputed pair is kept in a direct-mapped table of 256 slots (2 KB), one <see langword="long"/> per key: the
/// key's hash and side in the high half, its opponent's hash in the low half. A newer dispute overwrites a slot, and
/// a pair only counts while both its slots still hold it, so a key whose opponent's record was overwritten casts no
/// vote. Hashes come from <see cref="KeyHash"/> with their two low bits clear; those bits carry the side. A request
/// for a key in no pending dispute costs one table read.
/// </remarks>
internal sealed class AdmissionMargin
{
    /// <summary>
    /// The score at which the learner raises the margin to 1. Cyclic workloads (loop, zigzag) give residents a long,
    /// steady lead, while others give them a passing one: cs, in the lab, raised the margin midway at a score of 2
    /// and got 49.1% at 850 entries, where either margin kept throughout gets 49.6%. Raising at 10 to 16 meets every
    /// lab target; 12 is the middle.
    /// </summary>
    internal const int RaiseScore = 12;

    /// <summary>The score at which the learner lowers the margin to 0 again.</summary>
    internal const int LowerScore = -2;

    /// <summary>The score's bound either way, so an old verdict streak fades after a workload changes.</summary>
    internal const int ScoreLimit = 16;

    private const int SlotBits = 8;
    private const int SideMask = 3;
    private const int Resident = 1;
    private const int Candidate = 2;

    private readonly long[] _slots = new long[1 << SlotBits];
    private int _score;

    /// <summary>
    /// How many uses more than <em>one</em> above the victim a candidate needs: 0 or 1. Starts at 0, the admission
    /// rule of Caffeine and <c>ConcurrentLfu</c>.
    /// </summary>
    internal int Margin { get; private set; }

    /// <summary>The current score: positive when residents were requested first more often; for tests.</summary>
    internal int Score => _score;

    /// <summary>
    /// Records a duel in which the candidate was estimated exactly one use above the resident, so that the next
    /// request for either key tells which should have stayed.
    /// </summary>
    /// <param name="candidate">The candidate's hash (two low bits clear).</param>
    /// <param name="resident">The victim's hash (two low bits clear).</param>
    internal void Dispute(int candidate, int resident)
    {
        var c = SlotOf(candidate);
        var r = SlotOf(resident);
        if (c != r)
        {
            _slots[c] = Pack(candidate | Candidate, resident);
            _slots[r] = Pack(resident | Resident, candidate);
        }
    }

    /// <summary>Notes a request (hit or miss) for the key with <paramref name="hash"/> (two low bits clear).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Observe(int hash)
    {
        var i = SlotOf(hash);
        var slot = _slots[i];
        var tagged = (int)(slot >> 32);
        if ((tagged & SideMask) != 0 && (tagged & ~SideMask) == hash)
        {
            Settle(i, tagged, (int)slot);
        }
    }

    private void Settle(int index, int tagged, int opponent)
    {
        _slots[index] = 0;
        var side = tagged & SideMask;
        var j = SlotOf(opponent);
        if (_slots[j] != Pack(opponent | (SideMask ^ side), tagged & ~SideMask))
        {
            // The opponent's record was overwritten by a newer dispute: the pair no longer counts.
            return;
        }

        _slots[j] = 0;
        _score = Math.Clamp(_score + (side == Resident ? 1 : -1), -ScoreLimit, ScoreLimit);
        if (_score >= RaiseScore)
        {
            Margin = 1;
        }
        else if (_score <= LowerScore)
        {
            Margin = 0;
        }
    }

    private static long Pack(int tagged, int opponent) => ((long)tagged << 32) | (uint)opponent;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SlotOf(int hash) => (int)(((uint)hash * 0x9E37_79B9u) >> (32 - SlotBits));
}
