using System.Collections.Concurrent;
using Cacheweave.Backends;

namespace Cacheweave.Tests.Backends;

/// <summary>Records every <see cref="InMemoryBackend.EntryRemoved"/> notification of one backend, from any thread.</summary>
internal sealed class RemovalRecorder
{
    private readonly ConcurrentQueue<CacheEntryRemovedEventArgs> _removals = new();

    public RemovalRecorder(InMemoryBackend backend) => backend.EntryRemoved += (_, e) => _removals.Enqueue(e);

    public IReadOnlyList<CacheEntryRemovedEventArgs> All => [.. _removals];

    public IReadOnlyList<(string Key, object? Value, CacheRemovalReason Reason)> Removals =>
        [.. _removals.Select(e => (e.Key, e.Value, e.Reason))];

    public IReadOnlyList<string> KeysWith(CacheRemovalReason reason) =>
        [.. _removals.Where(e => e.Reason == reason).Select(e => e.Key)];

    public void Clear() => _removals.Clear();
}
