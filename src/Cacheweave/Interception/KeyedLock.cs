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

    /// <summary>The number of keys currently held or waited for.</summary>
    public int Count => _entries.Count;

    /// <summary>Waits until the caller holds <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Ends this caller's wait only; other waiters and the holder carry on.</param>
    /// <returns>A handle that releases the key when disposed.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the key was acquired.</exception>
    public ValueTask<Releaser> AcquireAsync(string key, CancellationToken cancellationToken)
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

        return acquired ? new ValueTask<Releaser>(new Releaser(this, key, entry)) : WaitAsync(key, entry, cancellationToken);
    }

    /// <summary>Blocks until the caller holds <paramref name="key"/>: for synchronous methods, which have no other choice.</summary>
    /// <inheritdoc cref="AcquireAsync" path="/param"/>
    /// <returns>A handle that releases the key when disposed.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the key was acquired.</exception>
    public Releaser Acquire(string key, CancellationToken cancellationToken)
    {
        var entry = Reference(key);
        try
        {
            entry.Semaphore.Wait(cancellationToken);
        }
        catch
        {
            Dereference(key, entry);
            throw;
        }

        return new Releaser(this, key, entry);
    }

    private async ValueTask<Releaser> WaitAsync(string key, Entry entry, CancellationToken cancellationToken)
    {
        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Dereference(key, entry);
            throw;
        }

        return new Releaser(this, key, entry);
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
