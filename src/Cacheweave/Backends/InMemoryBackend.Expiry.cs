using System.Runtime.CompilerServices;
using Cacheweave.Backends.Engine;
using Cacheweave.Backends.Expiry;

namespace Cacheweave.Backends;

// Expiry: timestamps, dropping expired entries on reads and writes, the expiry queue and the background sweep.
public abstract partial class InMemoryBackend
{
    private long ToTimestampTicks(TimeSpan ttl)
    {
        // Saturate far below long.MaxValue so that 'now + lifetime' cannot overflow.
        var ticks = (double)ttl.Ticks * _time.TimestampFrequency / TimeSpan.TicksPerSecond;
        return (long)Math.Clamp(Math.Ceiling(ticks), 1, long.MaxValue / 4);
    }

    private static bool IsExpired(CacheEntry entry, long now) => entry is ExpiringCacheEntry expiring && Volatile.Read(ref expiring.ExpiresAt) <= now;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool ExpireIfDue(ExpiringCacheEntry entry)
    {
        // With the system clock, an entry that expires beyond a cheap upper bound of the time is live; only one that
        // slides (which needs the time) or expires within the bound's margin reads the precise clock.
        if (_systemClock && !entry.Sliding && Volatile.Read(ref entry.ExpiresAt) > CoarseTimestamp.UpperBound())
        {
            return false;
        }

        return ExpireIfDuePrecisely(entry);
    }

    private bool ExpireIfDuePrecisely(ExpiringCacheEntry entry)
    {
        var now = Now();
        if (Volatile.Read(ref entry.ExpiresAt) > now)
        {
            if (entry.Sliding)
            {
                // Lock-free: the expiry queue catches up when the entry reaches its front (ExpiryQueue.Refile).
                entry.Slide(now);
            }

            return false;
        }

        ExpireOnRead(entry);
        return true;
    }

    // Gives a live entry a new expiry of now plus its lifetime, for a write in place; false when it is due (the write then
    // takes the lock, which drops it) or no longer expires (a time-to-live change made it persistent).
    private bool TryExtend(ExpiringCacheEntry entry)
    {
        var now = Now();
        if (Volatile.Read(ref entry.ExpiresAt) <= now || entry.Lifetime == ExpiringCacheEntry.Never)
        {
            return false;
        }

        entry.Slide(now);
        return true;
    }

    // A write in place over a live expiring entry of a backend without access records: the entry is re-filed at its new
    // expiry under the lock, as the latest write (ties at one timestamp go to the entry written first), and keeps its
    // place in the policy, so it costs neither an allocation nor a change to the map. False when the entry is gone or
    // due; the write then takes the ordinary path.
    private bool TryRewriteLocked<T>(ExpiringCacheEntry entry, T value)
    {
        // Read before the lock, for the reason given in Set.
        var now = Now();
        var removed = new RemovalBatch(EntryRemoved is not null);
        lock (_sync)
        {
            if (_disposed || entry.IsRemoved || Volatile.Read(ref entry.ExpiresAt) <= now || entry.Lifetime == ExpiringCacheEntry.Never)
            {
                return false;
            }

            _expiry.Remove(entry);
            entry.Slide(now);
            entry.QueuedAt = Volatile.Read(ref entry.ExpiresAt);
            _expiry.Add(entry);

            // Entries are detached only under the lock, so this swap cannot fail.
            entry.TrySwapValue(value, out var previous);
            removed.Add(entry.Key, previous, CacheRemovalReason.Replaced);
        }

        removed.Raise(this, EntryRemoved);
        return true;
    }

    private void ExpireOnRead(ExpiringCacheEntry entry)
    {
        var removed = new RemovalBatch(EntryRemoved is not null);
        lock (_sync)
        {
            if (!entry.IsRemoved && !_disposed)
            {
                DrainBeforeRemoval();
                RemoveLocked(entry, CacheRemovalReason.Expired, ref removed);
            }
        }

        removed.Raise(this, EntryRemoved);
    }

    private void RemoveExpired()
    {
        // Read before the lock, for the reason given in Set.
        var now = Now();
        var removed = new RemovalBatch(EntryRemoved is not null);
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            if (_expiry.Count > 0)
            {
                DrainBeforeRemoval();
            }

            RemoveExpiredLocked(now, ref removed);
        }

        removed.Raise(this, EntryRemoved);
    }

    private void RemoveExpiredLocked(long now, ref RemovalBatch removed)
    {
        if (_expiry.Count == 0)
        {
            return;
        }

        _expiry.DequeueExpired(now, _expiredScratch);
        foreach (var entry in _expiredScratch)
        {
            RemoveLocked(entry, CacheRemovalReason.Expired, ref removed);
        }

        _expiredScratch.Clear();
    }

    private void Enqueue(CacheEntry entry)
    {
        if (entry is ExpiringCacheEntry expiring)
        {
            _expiry.Add(expiring);
        }
    }

    // Creating a timer is a call into the TimeProvider too, so it happens outside the lock; of two writers that race
    // here, the second disposes the timer it made.
    private void StartSweep()
    {
        var sweep = SweepState.Start(this, _time);
        lock (_sync)
        {
            if (_sweep is null && !_disposed)
            {
                _sweep = sweep;
                return;
            }
        }

        sweep.Timer?.Dispose();
    }

    private void Unqueue(CacheEntry entry)
    {
        if (entry is ExpiringCacheEntry expiring)
        {
            _expiry.Remove(expiring);
        }
    }

    /// <summary>
    /// The sweep timer's state. It reaches the backend only through a weak reference, so the timer (which
    /// the runtime keeps alive) does not keep an abandoned backend alive; it stops itself once the backend
    /// is gone.
    /// </summary>
    private sealed class SweepState
    {
        private readonly WeakReference<InMemoryBackend> _owner;

        private SweepState(InMemoryBackend owner) => _owner = new WeakReference<InMemoryBackend>(owner);

        internal ITimer? Timer { get; private set; }

        internal static SweepState Start(InMemoryBackend owner, TimeProvider time)
        {
            var state = new SweepState(owner);

            // Do not capture the caller's ExecutionContext (and its AsyncLocals) in a long-lived timer.
            using (ExecutionContext.SuppressFlow())
            {
                state.Timer = time.CreateTimer(static s => ((SweepState)s!).Tick(), state, SweepInterval, SweepInterval);
            }

            return state;
        }

        private void Tick()
        {
            if (_owner.TryGetTarget(out var owner))
            {
                if (!owner._disposed)
                {
                    owner.RemoveExpired();
                }
            }
            else
            {
                Timer?.Dispose();
            }
        }
    }
}
