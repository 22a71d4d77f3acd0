namespace Cacheweave.Backends.Engine;

/// <summary>
/// An entry with a time to live. Kept apart from <see cref="CacheEntry"/> so that entries without one do not
/// pay for the expiry fields (the per-entry overhead is measured against BitFaster's).
/// </summary>
/// <remarks>
/// An entry is filed in the expiry queue under <see cref="QueuedAt"/>, which changes only under the backend's lock, so
/// the queue's order is always consistent. <see cref="ExpiresAt"/> is what readers check: a sliding hit, and a write in
/// place over the entry, push it forward without the lock, so it may run ahead of <see cref="QueuedAt"/>; the queue
/// re-files such an entry when it reaches the front instead of expiring it. A persistent entry (after a time-to-live change to "none") has both at
/// <see cref="Never"/> and stays filed, last, so that a backend evicting by expiry order can still pick it.
/// </remarks>
internal sealed class ExpiringCacheEntry : CacheEntry
{
    /// <summary>The expiry and lifetime of an entry that does not expire.</summary>
    internal const long Never = long.MaxValue;

    /// <summary>Whether a hit pushes <see cref="ExpiresAt"/> to the time of the hit plus <see cref="Lifetime"/>.</summary>
    internal readonly bool Sliding;

    /// <summary>
    /// The <see cref="TimeProvider.GetTimestamp"/> value at and after which the entry is dead. Read and written with
    /// <see cref="Volatile"/>: sliding hits and writes in place move it forward without the lock (never backward, see
    /// <see cref="Slide"/>); a time-to-live change sets it under the lock, and only on entries that do not slide.
    /// </summary>
    internal long ExpiresAt;

    /// <summary>The expiry the entry is filed under in its expiry list; changed only under the backend's lock.</summary>
    internal long QueuedAt;

    /// <summary>
    /// The time to live in timestamp ticks; entries sharing it share one expiry list. Changed only under the lock,
    /// while the entry is out of the queue, and never for a sliding entry. Sliding hits and writes in place read it
    /// without the lock; a write that races a change of a non-sliding entry's lifetime comes out as if it had happened
    /// just before that change.
    /// </summary>
    internal long Lifetime;

    /// <summary>Write order, used to break ties between entries that expire at the same tick.</summary>
    internal long Sequence;

    internal ExpiringCacheEntry? ExpiryPrev;
    internal ExpiringCacheEntry? ExpiryNext;
    internal bool IsQueued;

    internal ExpiringCacheEntry(string key, object? value, long expiresAt, long lifetime, bool sliding = false)
        : base(key, value)
    {
        ExpiresAt = expiresAt;
        QueuedAt = expiresAt;
        Lifetime = lifetime;
        Sliding = sliding;
    }

    /// <summary>Whether a sliding hit has pushed the expiry past the one the entry is filed under.</summary>
    internal bool HasSlid => Volatile.Read(ref ExpiresAt) > QueuedAt;

    /// <summary>Pushes the expiry of a sliding entry to <paramref name="now"/> plus its lifetime; lock-free, never backward.</summary>
    internal void Slide(long now)
    {
        var next = now + Lifetime;
        var current = Volatile.Read(ref ExpiresAt);
        while (next > current)
        {
            var seen = Interlocked.CompareExchange(ref ExpiresAt, next, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
