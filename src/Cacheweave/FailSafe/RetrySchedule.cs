using System.Collections.Concurrent;

namespace Cacheweave.FailSafe;

/// <summary>
/// Per key, the instant before which a method that just failed is not run again: within it, the fail-safe throttle
/// keeps serving the stale value, and an eager refresh that failed is not started again on every hit.
/// </summary>
/// <remarks>
/// Kept in the process, never written to the backend. Writing it into the entry (as the first version did) put the
/// stale value back under the key after the failed run, so an invalidation made while the method was running was
/// undone and the invalidated value served again. The cost of keeping it here is that each process waits out its own
/// delay after its own failure. The table is bounded: past <see cref="MaxKeys"/> keys it starts over, which at worst
/// lets a failing method be tried again sooner.
/// </remarks>
internal sealed class RetrySchedule
{
    internal const int MaxKeys = 10_000;

    private readonly ConcurrentDictionary<string, long> _notBefore = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="key"/> failed recently: <paramref name="nowTicks"/> is before its retry instant.</summary>
    internal bool IsWaiting(string key, long nowTicks)
    {
        if (_notBefore.IsEmpty || !_notBefore.TryGetValue(key, out var notBefore))
        {
            return false;
        }

        if (nowTicks < notBefore)
        {
            return true;
        }

        _notBefore.TryRemove(KeyValuePair.Create(key, notBefore));
        return false;
    }

    /// <summary>Holds <paramref name="key"/> back until <paramref name="notBeforeTicks"/>.</summary>
    internal void Delay(string key, long notBeforeTicks)
    {
        if (_notBefore.Count >= MaxKeys)
        {
            _notBefore.Clear();
        }

        _notBefore[key] = notBeforeTicks;
    }

    /// <summary>Forgets <paramref name="key"/>'s delay: a run of it succeeded.</summary>
    internal void Clear(string key)
    {
        if (!_notBefore.IsEmpty)
        {
            _notBefore.TryRemove(key, out _);
        }
    }
}
