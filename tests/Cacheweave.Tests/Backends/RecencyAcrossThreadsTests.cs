using Cacheweave.Backends;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends;

/// <summary>
/// Hits made one after another, each finished before the next starts, but each on a different thread: the normal
/// case for an async server, whose requests run on whichever pool thread is free. There is no concurrency here,
/// so the policies must see the hits in the order they happened, exactly as they would from one thread.
/// </summary>
public sealed class RecencyAcrossThreadsTests
{
    private const int Keys = 16;

    private static readonly string[] KeyNames = [.. Enumerable.Range(0, Keys).Select(i => $"k{i}")];

    private readonly FakeTimeProvider _time = new();

    public static TheoryData<BackendPolicy> LruPolicies => new() { BackendPolicy.Lru, BackendPolicy.LruTtl };

    [Theory]
    [MemberData(nameof(LruPolicies))]
    public void Hits_on_different_threads_one_after_another_make_their_keys_most_recently_used_in_that_order(BackendPolicy policy)
    {
        using var backend = InMemoryBackends.Create(policy, Keys, _time);
        var removals = new RemovalRecorder(backend);
        backend.PutAll([.. KeyNames.Reverse()]);

        TurnTakingThread.RunInTurns([.. KeyNames.Select(key => (Action)(() => backend.Read(key, times: 1)))]);
        backend.PutAll([.. KeyNames.Select(key => "new-" + key)]);

        Assert.Equal(KeyNames, removals.KeysWith(CacheRemovalReason.Evicted));
    }

    [Fact]
    public void Hits_on_different_threads_one_after_another_raise_their_keys_counts_in_that_order()
    {
        using var backend = new LfuBackend(Keys, _time);
        var removals = new RemovalRecorder(backend);
        backend.PutAll([.. KeyNames.Reverse()]);

        // Every key reaches a count of 2, in key order; the first to reach it is the first to go.
        TurnTakingThread.RunInTurns([.. KeyNames.Select(key => (Action)(() => backend.Read(key, times: 1)))]);
        foreach (var key in KeyNames)
        {
            backend.Put("new-" + key);
            backend.Read("new-" + key, times: 2);   // lift the newcomer above 2, out of the way
        }

        Assert.Equal(KeyNames, removals.KeysWith(CacheRemovalReason.Evicted));
    }
}
