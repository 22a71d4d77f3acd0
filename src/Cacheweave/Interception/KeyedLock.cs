using System.Collections.Concurrent;

namespace Cacheweave.Interception;

/// <summary>
/// One <see cref="SemaphoreSlim"/> per key in use, so that concurrent callers of one key run the method once while
/// different keys never wait on each other. Entries are reference-counted and leave the table when their last
/// holder or waiter is done, so the table only holds keys that are in use.
/// </summary>
internal sealed class KeyedLock
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private const int ReleaseStripes = 256;

    // The keys held by cached calls of the current async flow (per container, as the locks are).
    private readonly AsyncLocal<FlowHeldKey?> _heldByFlow = new();

    // Counts releases per stripe of keys, so that a caller can tell whether anyone held its key (and may have filled
    // it) between its lookup and its lock, without looking the key up again.
    private readonly int[] _releaseStamps = new int[ReleaseStripes];

    /// <summary>The number of keys currently held or waited for.</summary>
    public int Count => _entries.Count;

    /// <summary>Waits until the caller holds <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Ends this caller's wait only; other waiters and the holder carry on.</param>
    /// <returns>A handle that releases the key when disposed.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the key was acquired.</exception>
    public ValueTask<Releaser> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        var pending = AcquireAsync(key, Timeout.InfiniteTimeSpan, cancellationToken);
        return pending.IsCompletedSuccessfully ? new ValueTask<Releaser>(pending.Result.Releaser) : ReleaserOfAsync(pending);
    }

    /// <summary>Waits until the caller holds <paramref name="key"/>, or until <paramref name="timeout"/> has passed.</summary>
    /// <param name="key">The key.</param>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits as long as it takes.</param>
    /// <param name="cancellationToken">Ends this caller's wait only; other waiters and the holder carry on.</param>
    /// <returns>Whether the key was acquired and whether the caller had to wait for it.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the key was acquired.</exception>
    public ValueTask<LockAcquisition> AcquireAsync(string key, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var entry = Reference(key);
        bool acquired;
        try
        {
            acquired = entry.Semaphore.Wait(0, cancellationToken);
        }
        catch
        {
            Dereference(key, entry);
            throw;
        }

        return acquired
            ? new ValueTask<LockAcquisition>(new LockAcquisition(new Releaser(this, key, entry), acquired: true, waited: false))
            : WaitAsync(key, entry, timeout, cancellationToken);
    }

    /// <summary>Blocks until the caller holds <paramref name="key"/>: for synchronous methods, which have no other choice.</summary>
    /// <inheritdoc cref="AcquireAsync(string, CancellationToken)" path="/param"/>
    /// <returns>A handle that releases the key when disposed.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the key was acquired.</exception>
    public Releaser Acquire(string key, CancellationToken cancellationToken) => Acquire(key, Timeout.InfiniteTimeSpan, cancellationToken).Releaser;

    /// <summary>Blocks until the caller holds <paramref name="key"/>, or until <paramref name="timeout"/> has passed.</summary>
    /// <inheritdoc cref="AcquireAsync(string, TimeSpan, CancellationToken)" path="/param"/>
    /// <returns>Whether the key was acquired and whether the caller had to wait for it.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the key was acquired.</exception>
    public LockAcquisition Acquire(string key, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var entry = Reference(key);
        bool acquired;
        var waited = false;
        try
        {
            acquired = entry.Semaphore.Wait(0, cancellationToken);
            if (!acquired)
            {
                waited = true;
                acquired = entry.Semaphore.Wait(timeout, cancellationToken);
            }
        }
        catch
        {
            Dereference(key, entry);
            throw;
        }

        return Acquired(key, entry, acquired, waited);
    }

    /// <summary>
    /// A number that changes whenever a holder of <paramref name="key"/> (or of a key sharing its stripe) releases it.
    /// Read before a lookup completes and again after taking the key, it tells whether another caller may have filled
    /// the key meanwhile.
    /// </summary>
    public int ReleaseStampOf(string key) => Volatile.Read(ref _releaseStamps[StripeOf(key)]);

    /// <summary>Whether a cached call in the current async flow holds <paramref name="key"/>: waiting for it would wait for itself.</summary>
    public bool IsHeldByCurrentFlow(string key)
    {
        for (var held = _heldByFlow.Value; held is not null; held = held.Next)
        {
            if (!held.IsReleased && string.Equals(held.Key, key, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Records that the current flow holds <paramref name="key"/> until <see cref="LeaveFlow"/>.</summary>
    public FlowHeldKey EnterFlow(string key)
    {
        var held = new FlowHeldKey(key, _heldByFlow.Value);
        _heldByFlow.Value = held;
        return held;
    }

    /// <summary>Ends what <see cref="EnterFlow"/> recorded, in this flow and in any flow that captured it.</summary>
    public void LeaveFlow(FlowHeldKey held)
    {
        held.Release();
        _heldByFlow.Value = held.Next;
    }

    /// <summary>Takes <paramref name="key"/> when nobody holds it, without waiting: for background runs, which never queue behind a caller.</summary>
    /// <param name="key">The key.</param>
    /// <param name="releaser">Releases the key when disposed, when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the caller now holds the key.</returns>
    public bool TryAcquire(string key, out Releaser releaser)
    {
        var entry = Reference(key);
        if (entry.Semaphore.Wait(0))
        {
            releaser = new Releaser(this, key, entry);
            return true;
        }

        Dereference(key, entry);
        releaser = default;
        return false;
    }

    /// <summary>
    /// Whether a caller that took <paramref name="key"/> must look it up again before running the method: when it had
    /// to wait, when its lookup completed synchronously (<paramref name="releaseStamp"/> is <see langword="null"/>), or when
    /// a holder released the key since its asynchronous lookup was issued.
    /// </summary>
    public bool MayHaveBeenFilled(LockAcquisition acquisition, string key, int? releaseStamp) =>
        acquisition.Acquired && (acquisition.Waited || releaseStamp is not { } stamp || ReleaseStampOf(key) != stamp);

    private static int StripeOf(string key) => key.GetHashCode(StringComparison.Ordinal) & (ReleaseStripes - 1);

    private static async ValueTask<Releaser> ReleaserOfAsync(ValueTask<LockAcquisition> pending) =>
        (await pending.ConfigureAwait(false)).Releaser;

    private async ValueTask<LockAcquisition> WaitAsync(string key, Entry entry, TimeSpan timeout, CancellationToken cancellationToken)
    {
        bool acquired;
        try
        {
            acquired = await entry.Semaphore.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Dereference(key, entry);
            throw;
        }

        return Acquired(key, entry, acquired, waited: true);
    }

    private LockAcquisition Acquired(string key, Entry entry, bool acquired, bool waited)
    {
        if (acquired)
        {
            return new LockAcquisition(new Releaser(this, key, entry), acquired: true, waited);
        }

        Dereference(key, entry);
        return new LockAcquisition(default, acquired: false, waited);
    }

    private Entry Reference(string key)
    {
        while (true)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                if (existing.TryAddReference())
                {
                    return existing;
                }

                // Its last user is removing it; help, then start over with a fresh entry.
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, existing));
                continue;
            }

            var created = new Entry();
            if (_entries.TryAdd(key, created))
            {
                return created;
            }
        }
    }

    private void Dereference(string key, Entry entry)
    {
        if (entry.RemoveReference())
        {
            // Removes this entry only: a newer entry under the same key is left alone.
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }
    }

    /// <summary>Holds a key until disposed.</summary>
    internal readonly struct Releaser : IDisposable
    {
        private readonly KeyedLock _owner;
        private readonly string _key;
        private readonly Entry _entry;

        internal Releaser(KeyedLock owner, string key, Entry entry)
        {
            _owner = owner;
            _key = key;
            _entry = entry;
        }

        /// <summary>Releases the key to the next waiter.</summary>
        public void Dispose()
        {
            if (_entry is null)
            {
                return;
            }

            // Stamped before the next holder can enter, so that it sees the stamp change.
            Interlocked.Increment(ref _owner._releaseStamps[StripeOf(_key)]);
            _entry.Semaphore.Release();
            _owner.Dereference(_key, _entry);
        }
    }

    /// <summary>A key's semaphore and the number of callers holding or waiting for it.</summary>
    internal sealed class Entry
    {
        private int _references = 1;

        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        /// <summary>Adds a reference unless the count already fell to zero (the entry is being removed).</summary>
        public bool TryAddReference()
        {
            var current = Volatile.Read(ref _references);
            while (current > 0)
            {
                var seen = Interlocked.CompareExchange(ref _references, current + 1, current);
                if (seen == current)
                {
                    return true;
                }

                current = seen;
            }

            return false;
        }

        /// <summary>Drops a reference; returns <see langword="true"/> when it was the last.</summary>
        public bool RemoveReference() => Interlocked.Decrement(ref _references) == 0;
    }
}
