using System.Diagnostics;
using System.Runtime.CompilerServices;
using Cacheweave.Backends.Counters;
using Cacheweave.Backends.Engine;

namespace Cacheweave.Backends.Lfu;

/// <summary>
/// W-TinyLFU (Einziger, Friedman and Manes, 2017, as built in Caffeine): new entries enter a small LRU admission
/// window; when the cache is full, the window's least recent entry (the candidate) competes with the main region's
/// victim, and the one the <see cref="CountMinSketch"/> estimates as used less often leaves. The main region is a
/// segmented LRU: entries admitted from the window start in probation, a hit there promotes them to protected
/// (80% of the main region), and protected entries that overflow go back to probation. A
/// <see cref="WindowTuner"/> moves capacity between window and main region at run time, by playing a sample of the
/// requests through miniature caches of other window sizes, and <see cref="AdmissionMargin"/> learns whether a
/// candidate must lead the victim by one use or by two.
/// </summary>
/// <remarks>
/// The engine asks for a victim before it adds the new entry, so the admission duel happens in
/// <see cref="SelectVictim"/>: the candidate that wins moves to probation and the main region's victim is returned
/// instead. Each entry keeps its key's hash code and its segment in <see cref="CacheEntry.Frequency"/> (unused by
/// this policy otherwise), so a replayed hit needs no hashing and entries need no extra field.
/// </remarks>
internal sealed class TinyLfuPolicy : EvictionPolicy
{
    private const int SegmentMask = 3;
    private const int Window = 1;
    private const int Probation = 2;
    private const int Protected = 3;
    private const double InitialWindowShare = 0.01;
    /// <summary>The protected segment's share of the main region (<see cref="ShadowCache"/> uses it too).</summary>
    internal const double ProtectedShare = 0.8;

    private readonly EntryList _window = new();
    private readonly EntryList _probation = new();
    private readonly EntryList _protected = new();
    private readonly CountMinSketch _sketch;
    private readonly WindowTuner _tuner;
    private readonly AdmissionMargin _margin = new();
    private int _windowMax;
    private int _protectedMax;

    internal TinyLfuPolicy(int capacity)
    {
        _windowMax = Math.Max(1, capacity - (int)((1 - InitialWindowShare) * capacity));
        _protectedMax = (int)(ProtectedShare * (capacity - _windowMax));
        _sketch = new CountMinSketch(capacity);
        _tuner = new WindowTuner(capacity, _windowMax, _sketch);
    }

    internal override bool TracksAccess => true;

    /// <summary>The current most entries of the admission window; for tests and diagnostics.</summary>
    internal int WindowMaximum => _windowMax;

    /// <summary>The current most entries of the protected segment; for tests and diagnostics.</summary>
    internal int ProtectedMaximum => _protectedMax;

    /// <summary>The rung of <see cref="WindowTuner.Rungs"/> the window is tuned to; for tests and diagnostics.</summary>
    internal int WindowRung => _tuner.Rung;

    /// <summary>The admission margin currently in force (0 or 1); for tests and diagnostics.</summary>
    internal int Margin => _margin.Margin;

    /// <summary>The admission margin learner's score (positive when residents won more disputes); for tests.</summary>
    internal int MarginScore => _margin.Score;

    internal override void OnAdded(CacheEntry entry)
    {
        var hash = KeyHash.Of(entry.Key) & ~SegmentMask;
        entry.Frequency = hash;
        _sketch.Increment(hash);
        _margin.Observe(hash);
        Place(entry, Window);

        // The window overflows only while the cache fills (once it is full, SelectVictim has made room in it): the
        // overflow moves on to probation without a duel, as there is room for both.
        while (_window.Count > _windowMax)
        {
            Move(_window.Last!, Probation);
        }

        Tune(hash);
    }

    internal override void OnReplaced(CacheEntry previous, CacheEntry replacement)
    {
        // The replacement takes the previous entry's place, and the write counts as a use of the key.
        replacement.Frequency = previous.Frequency;
        ListOf(previous).Remove(previous);
        ListOf(replacement).AddFirst(replacement);
        OnAccessed(replacement);
    }

    internal override void OnAccessed(CacheEntry entry)
    {
        var hash = HashOf(entry);
        _sketch.Increment(hash);
        _margin.Observe(hash);
        switch (entry.Frequency & SegmentMask)
        {
            case Window:
                _window.MoveToFirst(entry);
                break;
            case Probation:
                _probation.Remove(entry);
                Place(entry, Protected);
                DemoteOverflow();
                break;
            case Protected:
                _protected.MoveToFirst(entry);
                break;
            default:
                return;
        }

        Tune(hash);
    }

    internal override void OnRemoved(CacheEntry entry)
    {
        if ((entry.Frequency & SegmentMask) != 0)
        {
            ListOf(entry).Remove(entry);
            entry.Frequency &= ~SegmentMask;
        }
    }

    internal override CacheEntry? SelectVictim()
    {
        var victim = _probation.Last ?? _protected.Last;
        if (_window.Count < _windowMax || _window.Last is not { } candidate)
        {
            // The window has room for the newcomer: the main region gives up its victim.
            return victim ?? _window.Last;
        }

        if (victim is null)
        {
            return candidate;
        }

        // The candidate is admitted only when it is estimated more than the learnt margin (0 or 1) above the victim;
        // on a tie the resident stays, which keeps a scan of new keys from flushing the main region. A candidate
        // exactly one use ahead is the case the two margins decide differently: AdmissionMargin remembers the pair
        // and learns from which key is requested again first.
        var candidateHash = HashOf(candidate);
        var victimHash = HashOf(victim);
        var lead = _sketch.Estimate(candidateHash) - _sketch.Estimate(victimHash);
        if (lead == 1)
        {
            _margin.Dispute(candidateHash, victimHash);
        }

        if (lead > _margin.Margin)
        {
            Move(candidate, Probation);
            return victim;
        }

        return candidate;
    }

    internal override void Clear()
    {
        _window.Clear();
        _probation.Clear();
        _protected.Clear();
    }

    private static int HashOf(CacheEntry entry) => entry.Frequency & ~SegmentMask;

    private EntryList ListOf(CacheEntry entry) => (entry.Frequency & SegmentMask) switch
    {
        Window => _window,
        Probation => _probation,
        Protected => _protected,
        _ => throw new UnreachableException("The entry is in no segment."),
    };

    private void Place(CacheEntry entry, int segment)
    {
        entry.Frequency = (entry.Frequency & ~SegmentMask) | segment;
        ListOf(entry).AddFirst(entry);
    }

    private void Move(CacheEntry entry, int segment)
    {
        ListOf(entry).Remove(entry);
        Place(entry, segment);
    }

    private void DemoteOverflow()
    {
        while (_protected.Count > _protectedMax && _protected.Last is { } demoted)
        {
            Move(demoted, Probation);
        }
    }

    // Called for every request; the window moves only when a tuning period ends.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Tune(int hash)
    {
        if (_tuner.Record(hash, _margin.Margin))
        {
            Resize(_tuner.Window);
        }
    }

    // Moves the window towards target, as far as the regions' bounds allow: at least one entry, and growing only
    // by the protected segment's current size.
    private void Resize(int target)
    {
        var amount = Math.Clamp(target - _windowMax, -(_windowMax - 1), _protectedMax);
        if (amount > 0)
        {
            GrowWindow(amount);
        }
        else if (amount < 0)
        {
            ShrinkWindow(-amount);
        }
    }

    // The window grows at the protected segment's expense; the main region's least recent entries move into the
    // window so that both regions stay within their sizes.
    private void GrowWindow(int quota)
    {
        _protectedMax -= quota;
        _windowMax += quota;
        DemoteOverflow();
        for (var moved = 0; moved < quota; moved++)
        {
            var entry = _probation.Last ?? _protected.Last;
            if (entry is null)
            {
                break;
            }

            Move(entry, Window);
        }
    }

    private void ShrinkWindow(int quota)
    {
        _windowMax -= quota;
        _protectedMax += quota;
        while (_window.Count > _windowMax && _window.Last is { } entry)
        {
            Move(entry, Probation);
        }
    }
}
