using Cacheweave.Backends.Engine;
using Cacheweave.Backends.Snapshots;

namespace Cacheweave.Backends;

// Snapshots: saving the live entries to a stream and loading them back.
public abstract partial class InMemoryBackend
{
    /// <summary>
    /// The value types a snapshot may hold. Values of other types are left out of <see cref="SaveAsync"/>'s snapshot
    /// (and counted as skipped). Register the result types of cached methods here before saving or loading.
    /// </summary>
    public CacheSnapshotTypes SnapshotTypes { get; } = new();

    /// <summary>
    /// Writes every live entry to <paramref name="destination"/>: key, value, absolute expiry (wall-clock time of the
    /// backend's <see cref="TimeProvider"/>) and sliding time to live, in eviction order so that <see cref="LoadAsync"/>
    /// restores the order of an LRU backend. Reading the entries does not count as a use of them.
    /// </summary>
    /// <param name="destination">A writable stream; it is written and flushed, not closed.</param>
    /// <param name="cancellationToken">Cancels the write to the stream.</param>
    /// <returns>How many entries were written, and how many were left out because their value's type is not in <see cref="SnapshotTypes"/> or cannot be serialized.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    public async ValueTask<CacheSnapshotResult> SaveAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var (bytes, result) = CaptureSnapshot();
        await destination.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Replaces the backend's entries with those of a snapshot written by <see cref="SaveAsync"/>. The snapshot is
    /// untrusted input: it is read and checked in full before anything changes, and a snapshot that is truncated,
    /// corrupt or of an unknown version throws <see cref="CacheSnapshotException"/> and leaves the backend as it was.
    /// </summary>
    /// <remarks>
    /// Entries whose expiry has passed are not loaded; the others keep their absolute expiry. Entries are added back in
    /// the saved eviction order (for an LRU backend the least recently used stays the first to go). When the snapshot
    /// holds more entries than <see cref="Capacity"/>, the last ones in that order (the most recently used) are kept.
    /// Values whose type (and shape) is not in <see cref="SnapshotTypes"/> are skipped. The entries replaced are
    /// announced with <see cref="CacheRemovalReason.Cleared"/>. An LFU backend's use counts are not kept: loaded entries start at 1.
    /// </remarks>
    /// <param name="source">A readable stream positioned at the snapshot; it is read to its end.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>How many entries were loaded, and how many were left out (expired, of an unknown type or shape, or beyond capacity).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="CacheSnapshotException">The snapshot is truncated, corrupt or of a version this backend cannot read.</exception>
    /// <exception cref="ObjectDisposedException">The backend has been disposed.</exception>
    public async ValueTask<CacheSnapshotResult> LoadAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var buffer = new MemoryStream();
        await source.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Load(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    /// <summary>Serializes the live entries; the caller writes the bytes.</summary>
    internal (byte[] Bytes, CacheSnapshotResult Result) CaptureSnapshot()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // Read before the lock, for the reason given in Set.
        var now = Now();
        var wallNow = _time.GetUtcNow();
        var captured = new List<(CacheEntry Entry, object? Value, long ExpiresAt)>();
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _accesses?.Drain(_policy);
            var ordered = new List<CacheEntry>(_count);
            if (!_policy.TryListInEvictionOrder(ordered))
            {
                ordered.AddRange(_map.Values);
            }

            foreach (var entry in ordered)
            {
                var value = Volatile.Read(ref entry.Value);
                var expiresAt = entry is ExpiringCacheEntry expiring ? Volatile.Read(ref expiring.ExpiresAt) : ExpiringCacheEntry.Never;
                if (expiresAt > now && !ReferenceEquals(value, CacheEntry.Detached))
                {
                    captured.Add((entry, value, expiresAt));
                }
            }
        }

        // Values are serialized outside the lock: that can take a while and runs the values' own code.
        var entries = captured.ConvertAll(c => c.ExpiresAt == ExpiringCacheEntry.Never
            ? new SnapshotEntry(c.Entry.Key, c.Value, null, null, Sliding: false)
            : new SnapshotEntry(
                c.Entry.Key,
                c.Value,
                wallNow + _time.GetElapsedTime(now, c.ExpiresAt),
                _time.GetElapsedTime(0, ((ExpiringCacheEntry)c.Entry).Lifetime),
                ((ExpiringCacheEntry)c.Entry).Sliding));
        return SnapshotFormat.Write(entries, SnapshotTypes, wallNow);
    }

    /// <summary>Checks the whole snapshot, then replaces the entries; see <see cref="LoadAsync"/>.</summary>
    internal CacheSnapshotResult Load(ReadOnlyMemory<byte> snapshot)
    {
        var (entries, skipped) = SnapshotFormat.Read(snapshot, SnapshotTypes);

        // Read before the lock, for the reason given in Set.
        var now = Now();
        var wallNow = _time.GetUtcNow();
        var fresh = new List<CacheEntry>(entries.Count);
        foreach (var entry in entries)
        {
            if (entry.ExpiresAt is not { } expiresAt)
            {
                // A backend that evicts by expiry order only evicts filed entries, so its persistent entries are filed too.
                fresh.Add(_defaultLifetime > 0
                    ? new ExpiringCacheEntry(entry.Key, entry.Value, ExpiringCacheEntry.Never, ExpiringCacheEntry.Never)
                    : new CacheEntry(entry.Key, entry.Value));
            }
            else if (expiresAt - wallNow is var left && left > TimeSpan.Zero)
            {
                // The saved time to live keys the expiry list, so entries of one lifetime share a list again.
                var lifetime = ToTimestampTicks(entry.TimeToLive ?? left);
                fresh.Add(new ExpiringCacheEntry(entry.Key, entry.Value, now + ToTimestampTicks(left), lifetime, entry.Sliding));
            }
            else
            {
                skipped++;
            }
        }

        if (fresh.Count > _capacity)
        {
            skipped += fresh.Count - _capacity;
            fresh.RemoveRange(0, fresh.Count - _capacity);
        }

        if (_sizesEntries)
        {
            // A snapshot keeps no sizes: the sizer measures each entry again, outside the lock (a budget without a
            // sizer throws here, before anything changed).
            foreach (var entry in fresh)
            {
                entry.Size = SizeOf(entry.Key, entry.Value, null);
            }
        }

        var removed = new RemovalBatch(EntryRemoved is not null);
        bool startSweep;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            DrainBeforeRemoval();
            foreach (var entry in _map.Values)
            {
                RemoveLocked(entry, CacheRemovalReason.Cleared, ref removed);
            }

            _accesses?.Discard();

            // The entries first in eviction order are left out until the rest fit the budget as it stands now.
            var total = fresh.Sum(static entry => entry.Size);
            var dropped = 0;
            while (dropped < fresh.Count && total > _maxBytes)
            {
                total -= fresh[dropped++].Size;
            }

            skipped += dropped;
            fresh.RemoveRange(0, dropped);
            foreach (var entry in fresh)
            {
                _map[entry.Key] = entry;
                _count++;
                Volatile.Write(ref _bytes, _bytes + entry.Size);
                _policy.OnAdded(entry);
            }

            // Filed in expiry order, each list is built by appending.
            var expiring = fresh.OfType<ExpiringCacheEntry>().OrderBy(static e => e.QueuedAt).ToList();
            expiring.ForEach(_expiry.Add);
            startSweep = expiring.Count > 0 && _sweep is null;
        }

        if (startSweep)
        {
            StartSweep();
        }

        removed.Raise(this, EntryRemoved);
        return new CacheSnapshotResult(fresh.Count, skipped);
    }
}
