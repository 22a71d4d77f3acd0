using System.Runtime.CompilerServices;
using Cacheweave.Backends.Counters;

namespace Cacheweave.Backends.Lfu;

/// <summary>
/// Sizes W-TinyLFU's admission window at run time by miniature simulation: a fixed ladder of window sizes (one entry,
/// then 1%, 5%, 20%, 50%, 80% and 99% of the capacity) is played by one <see cref="ShadowCache"/> each, on the same
/// sample of the requests, and at the end of every period of ten times the capacity in requests the window takes one
/// step up or down the ladder towards the rung that beat the current one by a clear margin, or stays. Not
/// thread-safe; the owning backend's lock guards it.
/// </summary>
/// <remarks>
/// <para>
/// Replaced a hill climber that compared the real cache's hit rate from one period to the next: that comparison
/// mixes the window's effect with the workload's own phases, which on some traces swing by 30 points between periods,
/// so the window followed the phases. Shadows see the same requests in the same period, so their difference is the
/// window's alone (the approach of Einziger, Eytan, Friedman and Manes, "Adaptive Software Cache Management",
/// Middleware 2018, and of Waldspurger et al.'s miniature simulations, USENIX ATC 2017).
/// </para>
/// <para>
/// The comparison is paired: for each sampled request on which a shadow and the current rung's shadow disagree, one
/// of them gained a hit the other missed. A rung counts as better only when its gains exceed its losses by more than
/// twice the square root of their sum (a sign test at about two standard deviations); without a clear winner the
/// window stays where it is, so a workload the window does not matter to keeps the initial 1%.
/// </para>
/// <para>
/// Keys are sampled by hash (one in 16, or fewer past 32,768 entries so that a shadow holds at most 2,048 entries;
/// the rate stops at one in 65,536, past 134 million entries), and each shadow is the capacity divided by the
/// sampling rate, reading the real cache's sketch for its estimates: seven shadows then cost under half a shadow
/// update per request and about 11 bytes per entry of capacity (at most 350 KB below 134 million entries). On the
/// lab's 99 trace cells, sampling one key in 16 instead of every key lowered the average by 0.03 points
/// (docs/architecture.md, "Eighth round").
/// </para>
/// </remarks>
internal sealed class WindowTuner
{
    /// <summary>The window sizes compared, as shares of the capacity (0 stands for one entry).</summary>
    internal static readonly double[] Rungs = [0, 0.01, 0.05, 0.2, 0.5, 0.8, 0.99];

    /// <summary>How many standard deviations a rung's net gain must exceed to count as better.</summary>
    internal const double Significance = 2.0;

    /// <summary>The least sampling rate: one key in this many plays in the shadows.</summary>
    internal const int MinSampleRate = 16;

    /// <summary>The most sampling rate the 16 bits of the sample test can express.</summary>
    internal const int MaxSampleRate = 1 << 16;

    /// <summary>The most entries of one shadow; larger caches sample fewer keys (up to <see cref="MaxSampleRate"/>).</summary>
    internal const int MaxShadowCapacity = 2_048;

    private readonly ShadowCache[] _shadows;
    private readonly int[] _windows;
    private readonly int[] _gains;
    private readonly int[] _losses;
    private readonly uint _sampleMask;
    private readonly int _period;
    private int _requests;
    private int _current;

    /// <param name="capacity">The real cache's capacity.</param>
    /// <param name="initialWindow">The real cache's window size at the start.</param>
    /// <param name="sketch">The real cache's frequency sketch, which the shadows read.</param>
    internal WindowTuner(int capacity, int initialWindow, CountMinSketch sketch)
    {
        // The sample test reads 16 bits of the mixed hash, so the rate stops at 65,536 (past 134 million entries of
        // capacity the shadows grow instead).
        var rate = MinSampleRate;
        while (rate < MaxSampleRate && (long)rate * MaxShadowCapacity < capacity)
        {
            rate *= 2;
        }

        _sampleMask = (uint)rate - 1;
        var shadowCapacity = Math.Max(1, capacity / rate);
        _shadows = new ShadowCache[Rungs.Length];
        _windows = new int[Rungs.Length];
        for (var i = 0; i < Rungs.Length; i++)
        {
            _shadows[i] = new ShadowCache(shadowCapacity, WindowOf(Rungs[i], shadowCapacity), sketch);
            _windows[i] = WindowOf(Rungs[i], capacity);
        }

        _gains = new int[Rungs.Length];
        _losses = new int[Rungs.Length];
        _period = sketch.SampleSize;
        _current = NearestRung(initialWindow);
    }

    /// <summary>The rung the window is on; for tests and diagnostics.</summary>
    internal int Rung => _current;

    /// <summary>The window size of the current rung.</summary>
    internal int Window => _windows[_current];

    /// <summary>
    /// Records one request of the real cache (a hit or a miss) for the key with <paramref name="hash"/>, under the
    /// admission margin in force.
    /// </summary>
    /// <returns>Whether a period ended, so that the window should be set to <see cref="Window"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool Record(int hash, int margin)
    {
        if ((((uint)hash * 0x9E37_79B9u) >> 16 & _sampleMask) == 0)
        {
            Play(hash, margin);
        }

        return ++_requests >= _period && EndPeriod();
    }

    private void Play(int hash, int margin)
    {
        var baseline = _shadows[_current].Access(hash, margin);
        for (var i = 0; i < _shadows.Length; i++)
        {
            if (i != _current && _shadows[i].Access(hash, margin) != baseline)
            {
                if (baseline)
                {
                    _losses[i]++;
                }
                else
                {
                    _gains[i]++;
                }
            }
        }
    }

    private bool EndPeriod()
    {
        var best = _current;
        var bestLead = 0;
        for (var i = 0; i < _shadows.Length; i++)
        {
            var lead = _gains[i] - _losses[i];
            if (lead > bestLead && lead > Significance * Math.Sqrt(_gains[i] + _losses[i]))
            {
                best = i;
                bestLead = lead;
            }
        }

        // One rung at a time: a sampled period's winner can be far off, and each move reshuffles the real regions.
        _current += Math.Sign(best - _current);
        Array.Clear(_gains);
        Array.Clear(_losses);
        _requests = 0;
        return true;
    }

    private int NearestRung(int window)
    {
        var nearest = 0;
        for (var i = 1; i < _windows.Length; i++)
        {
            if (Math.Abs(_windows[i] - window) < Math.Abs(_windows[nearest] - window))
            {
                nearest = i;
            }
        }

        return nearest;
    }

    private static int WindowOf(double share, int capacity) => Math.Max(1, (int)(share * capacity));
}
