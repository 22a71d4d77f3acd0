using Cacheweave.Backends;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends;

/// <summary>
/// Hits made one after another, each finished before the next starts, but each on a different thread: the normal
/// case for an async server, whose requests run on whichever pool thread is free. Hits are recorded per thread and
/// replayed before the next write, so none of them may be lost, and a key that was read must outlive every key that
/// was not. (Their order relative to each other is not kept across threads: see LruBackend's remarks.)
/// </summary>
public sealed class RecencyAcrossThreadsTests
{
    private const int Keys = 32;

    private static readonly string[] KeyNames = [.. Enumerable.Range(0, Keys).Select(i => $"k{i}")];

    private readonly FakeTimeProvider _time = new();

    public static TheoryData<BackendPolicy> RecencyPolicies => new() { BackendPolicy.Lru, BackendPolicy.LruTtl, BackendPolicy.Lfu };

    [Theory]
    [MemberData(nameof(RecencyPolicies))]
    public void Hits_on_different_threads_one_after_another_all_protect_their_keys(BackendPolicy policy)
    {
        using var backend = InMemoryBackends.Create(policy, Keys, _time);
        var removals = new RemovalRecorder(backend);
        backend.PutAll(KeyNames);
        var read = KeyNames.Where((_, i) => i % 2 == 0).ToArray();
        var unread = KeyNames.Where((_, i) => i % 2 == 1).ToArray();

        TurnTakingThread.RunInTurns([.. read.Select(key => (Action)(() => backend.Read(key, times: 1)))]);
        backend.PutAll([.. unread.Select(key => "new-" + key)]);

        Assert.Equal(unread.Order(StringComparer.Ordinal), removals.KeysWith(CacheRemovalReason.Evicted).Order(StringComparer.Ordinal));
        Assert.All(read, key => Assert.True(backend.SnapshotLiveEntries().ContainsKey(key), $"'{key}' was read but evicted."));
    }

    [Fact]
    public void Hits_on_one_thread_keep_their_order_while_other_threads_also_read()
    {
        using var backend = new LruBackend(Keys, _time);
        var removals = new RemovalRecorder(backend);
        backend.PutAll([.. KeyNames.Reverse()]);

        // The main thread reads every key in order; between its reads, other threads read too.
        using var other = new TurnTakingThread();
        foreach (var key in KeyNames)
        {
            backend.Read(key, times: 1);
            other.Run(() => backend.Read(KeyNames[^1], times: 1));
        }

        backend.PutAll([.. KeyNames.Take(Keys / 2).Select(key => "new-" + key)]);

        Assert.Equal(KeyNames.Take(Keys / 2), removals.KeysWith(CacheRemovalReason.Evicted));
    }
}
