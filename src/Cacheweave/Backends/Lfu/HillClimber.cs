namespace Cacheweave.Backends.Lfu;

/// <summary>
/// Sizes W-TinyLFU's admission window at run time, the way Caffeine's original climber does: the hit rate is
/// sampled over periods of ten times the capacity in requests, and after each period the window moves by one step
/// in the direction that last improved the hit rate (or reverses when it fell). Steps shrink by 2% per period so
/// that the size settles; a change of the hit rate by 10 points or more means the workload changed, and the step
/// starts again at 6.25% of the capacity (Caffeine restarts at 5 points; on the traces in the lab, 10 points
/// restarted less often on sampling noise and left 8 instead of 10 cells more than half a point below BitFaster's
/// <c>ConcurrentLfu</c>). A change of less than 0.6 points is taken for noise: the window holds, and the next
/// period is compared with the same reference (see docs/architecture.md: without it the window wandered with the
/// workload's phases, sprite at 710 entries fell 2.2 points below LRU and OLTP at 5,000 1.7 below BitFaster's).
/// Sampling starts with the first request, while the cache is still filling
/// (waiting until it is full measured slightly worse on the published traces). The first period has no earlier hit
/// rate to be compared with, so its move is directed by the keys that left the cache during it and were requested
/// again soon after (<see cref="EvictionGhosts"/>): the window grows unless more main-region victims than window
/// candidates came back, and shrinks otherwise. A move cut short by the window's bounds (at least one entry, at most
/// the protected segment's size taken) turns the step round: pushing on into a bound would change nothing, and the
/// climber kept doing so while the workload's phases raised the hit rate (OLTP at 5,000 entries sat at a one-entry
/// window for two periods: 53.95% instead of 54.98%). Not thread-safe; the owning backend's lock guards it.
/// </summary>
internal sealed class HillClimber
{
    internal const double RestartThreshold = 0.10;
    internal const double StepShare = 0.0625;
    internal const double StepDecay = 0.98;
    internal const double DeadZone = 0.006;

    private readonly int _capacity;
    private readonly int _sampleSize;
    private double _step;
    private double _previousHitRate;
    private long _hits;
    private long _misses;
    private int _windowReturns;
    private int _mainReturns;

    internal HillClimber(int capacity, int sampleSize)
    {
        _capacity = capacity;
        _sampleSize = sampleSize;

        _step = StepShare * capacity;
    }

    /// <summary>Whether the first move has been made (so ghost returns are no longer needed).</summary>
    internal bool Started { get; private set; }

    /// <summary>Whether the sample period is over, so that <see cref="Adjustment"/> may move the window.</summary>
    internal bool PeriodEnded => _hits + _misses >= _sampleSize;

    internal void RecordHit() => _hits++;

    internal void RecordMiss() => _misses++;

    /// <summary>A window candidate that lost its duel was requested again within the ghosts' horizon.</summary>
    internal void RecordWindowReturn() => _windowReturns++;

    /// <summary>A main-region victim was requested again within the ghosts' horizon.</summary>
    internal void RecordMainReturn() => _mainReturns++;

    private void ResetSample()
    {
        _hits = 0;
        _misses = 0;
        _windowReturns = 0;
        _mainReturns = 0;
    }

    /// <summary>
    /// At the end of a sample period, the number of entries by which to grow (positive) or shrink (negative) the
    /// window; otherwise 0. A move cut short by the region's bounds reverses the step for the next period.
    /// </summary>
    /// <param name="maxGrowth">The most entries the window can grow by (the protected segment's size).</param>
    /// <param name="maxShrink">The most entries the window can shrink by (all but one).</param>
    internal int Adjustment(int maxGrowth, int maxShrink)
    {
        var amount = Step();
        var made = Math.Clamp(amount, -maxShrink, maxGrowth);
        if (made != amount)
        {
            // The window is at (or near) a bound: pushing on into it changes nothing, so the next period's hit rate
            // would only measure the workload's phase. Turning round makes the next move a real one, the way
            // down the slope that was reached.
            _step = -_step;
        }

        return made;
    }

    private int Step()
    {
        if (!PeriodEnded)
        {
            return 0;
        }

        var requests = _hits + _misses;
        var hitRate = (double)_hits / requests;
        var change = hitRate - _previousHitRate;
        if (Math.Abs(change) < DeadZone)
        {
            ResetSample();
            return 0;
        }

        var amount = change >= 0 ? _step : -_step;
        if (!Started)
        {
            // Compared with nothing, the first period's hit rate is always "up": the keys that came back say which
            // region was short instead.
            Started = true;
            amount = _mainReturns > _windowReturns ? -_step : _step;
        }

        _step = Math.Abs(change) >= RestartThreshold
            ? StepShare * _capacity * (amount >= 0 ? 1 : -1)
            : StepDecay * amount;
        _previousHitRate = hitRate;
        ResetSample();
        return (int)amount;
    }
}
