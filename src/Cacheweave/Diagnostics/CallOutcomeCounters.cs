using Cacheweave.Backends.Counters;

namespace Cacheweave.Diagnostics;

// Per cached method: one striped counter per outcome, so that counting a hit is one uncontended increment and
// allocates nothing. Metrics read these counters when they are collected instead of recording on every call.
internal sealed class CallOutcomeCounters
{
    private static readonly int OutcomeCount = Enum.GetValues<CacheCallOutcome>().Length;

    private readonly StripedCounter[] _counters;

    // The hit counter, also held directly: a hit is the hot path, and this saves indexing the array on it.
    private readonly StripedCounter _hits;

    internal CallOutcomeCounters()
    {
        _counters = new StripedCounter[OutcomeCount];
        for (var i = 0; i < _counters.Length; i++)
        {
            _counters[i] = new StripedCounter();
        }

        _hits = _counters[(int)CacheCallOutcome.Hit];
    }

    internal void RecordHit() => _hits.Increment();

    internal void Record(CacheCallOutcome outcome) => _counters[(int)outcome].Increment();

    internal long CountOf(CacheCallOutcome outcome) => _counters[(int)outcome].Sum();
}
