using Cacheweave.Backends;

namespace Cacheweave.Tests.Backends;

/// <summary>
/// A TimeProvider may run callbacks on the thread that asks it the time (FakeTimeProvider runs due timers there, and
/// the backend's own sweep is such a timer). The backend's lock is reentrant, so it must never ask the time while it
/// holds the lock: a callback that reaches the backend would change it in the middle of an operation, which then
/// removed the same entry a second time (corrupting the LFU buckets, the LRU list and the count).
/// </summary>
public sealed class ReentrantClockTests
{
    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void A_removal_the_clock_runs_during_a_removal_of_the_same_key_removes_it_once(BackendPolicy policy)
    {
        var clock = new CallingBackTimeProvider();
        using var backend = InMemoryBackends.Create(policy, capacity: 4, clock);
        var recorder = new RemovalRecorder(backend);
        backend.Set("a", 1, CacheEntryOptions.FromSeconds(60));
        backend.Set("b", 2);

        clock.OnNextTimestamp(() => backend.Remove("a"));
        backend.Remove("a");

        Assert.Equal([("a", (object?)1, CacheRemovalReason.Removed)], recorder.Removals);
        Assert.Equal(1, backend.Count);
        AssertStillWorks(backend);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void A_removal_the_clock_runs_during_a_write_over_the_same_key_is_not_undone_by_the_write(BackendPolicy policy)
    {
        var clock = new CallingBackTimeProvider();
        using var backend = InMemoryBackends.Create(policy, capacity: 4, clock);
        var recorder = new RemovalRecorder(backend);
        backend.Set("a", 1, CacheEntryOptions.FromSeconds(60));
        backend.Set("b", 2);

        clock.OnNextTimestamp(() => backend.Remove("a"));
        backend.Set("a", 3);

        Assert.Equal([("a", (object?)1, CacheRemovalReason.Removed)], recorder.Removals);
        Assert.True(backend.TryGet<int>("a", out var value));
        Assert.Equal(3, value);
        Assert.Equal(2, backend.Count);
        AssertStillWorks(backend);
    }

    // Fills the backend past its capacity and empties it again: with a corrupted policy this throws, evicts past
    // zero or leaves entries behind.
    private static void AssertStillWorks(InMemoryBackend backend)
    {
        for (var i = 0; i < 10; i++)
        {
            backend.Set($"k{i}", i);
            backend.TryGet<int>($"k{i}", out _);
        }

        Assert.Equal(4, backend.Count);
        foreach (var key in backend.SnapshotLiveEntries().Keys)
        {
            Assert.True(backend.Remove(key));
        }

        Assert.Equal(0, backend.Count);
        Assert.Empty(backend.SnapshotLiveEntries());
    }
}
