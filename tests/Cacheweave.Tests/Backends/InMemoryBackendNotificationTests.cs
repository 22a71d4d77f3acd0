using System.Collections.Concurrent;
using Cacheweave.Backends;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends;

/// <summary>
/// <see cref="InMemoryBackend.EntryRemoved"/>, on every in-memory backend: one notification per entry that
/// leaves, with its key, value and reason, raised outside the backend's lock, and never able to break it.
/// </summary>
public sealed class InMemoryBackendNotificationTests
{
    // How long a handler waits for a call it makes from another thread before calling it a deadlock.
    private static readonly TimeSpan DeadlockGuard = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Replacing_announces_Replaced_with_the_old_value(BackendPolicy policy)
    {
        using var backend = Create(policy);
        var removals = new RemovalRecorder(backend);
        Synchronously.Complete(backend.PutAsync("k", "old"));

        Synchronously.Complete(backend.PutAsync("k", "new"));

        Assert.Equal([("k", (object?)"old", CacheRemovalReason.Replaced)], removals.Removals);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Removing_announces_Removed_with_the_value_and_removing_nothing_announces_nothing(BackendPolicy policy)
    {
        using var backend = Create(policy);
        var removals = new RemovalRecorder(backend);
        Synchronously.Complete(backend.PutAsync<string?>("k", null));

        Synchronously.Result(backend.RemoveAsync("k"));
        Synchronously.Result(backend.RemoveAsync("k"));
        Synchronously.Result(backend.RemoveAsync("never"));

        Assert.Equal([("k", (object?)null, CacheRemovalReason.Removed)], removals.Removals);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Clearing_announces_Cleared_for_every_entry(BackendPolicy policy)
    {
        using var backend = Create(policy);
        var removals = new RemovalRecorder(backend);
        backend.PutAll("a", "b", "c");

        Synchronously.Complete(backend.ClearAsync());

        Assert.Equal(
            [("a", (object?)"value of a", CacheRemovalReason.Cleared), ("b", "value of b", CacheRemovalReason.Cleared), ("c", "value of c", CacheRemovalReason.Cleared)],
            removals.Removals.OrderBy(r => r.Key, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Evicting_announces_Evicted_with_the_victim(BackendPolicy policy)
    {
        using var backend = Create(policy, capacity: 2);
        var removals = new RemovalRecorder(backend);
        backend.PutAll("a", "b");

        // With nothing read, every policy picks the first written: least recent, least used, soonest to expire.
        backend.Put("c");

        Assert.Equal([("a", (object?)"value of a", CacheRemovalReason.Evicted)], removals.Removals);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Writes_of_new_keys_with_room_and_reads_announce_nothing(BackendPolicy policy)
    {
        using var backend = Create(policy, capacity: 3);
        var removals = new RemovalRecorder(backend);

        backend.PutAll("a", "b", "c");
        backend.Read("a");
        backend.Read("missing");

        Assert.Empty(removals.Removals);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void A_handler_may_call_the_backend_from_another_thread_for_every_reason(BackendPolicy policy)
    {
        const int Capacity = 100;
        using var backend = Create(policy, Capacity);
        var deadlocks = new ConcurrentQueue<string>();
        var handled = new ConcurrentQueue<CacheRemovalReason>();
        backend.EntryRemoved += (_, e) =>
        {
            if (e.Key == "probe")
            {
                return;
            }

            // Both calls take the backend's lock: were the handler running under it, the helper would wait forever.
            // Rewriting the probe keeps it the most recent, most used and latest to expire, so it is never evicted.
            var helper = Task.Run(() =>
            {
                Synchronously.Result(backend.CountAsync());
                Synchronously.Complete(backend.PutAsync("probe", e.Key));
            });
            if (!helper.Wait(DeadlockGuard))
            {
                deadlocks.Enqueue($"{e.Reason} of {e.Key}");
            }

            handled.Enqueue(e.Reason);
        };
        for (var i = 0; i < Capacity - 1; i++)
        {
            backend.Put($"k{i}");
        }

        backend.Put("probe");                                  // full
        backend.Put("k0");                                     // Replaced
        Synchronously.Result(backend.RemoveAsync("k0"));       // Removed
        backend.PutAll("n1", "n2");                            // full again, then Evicted
        backend.Put("x", TimeSpan.FromSeconds(0.5));           // Evicted
        _time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.False(backend.Read("x").HasValue);              // Expired, on a read
        backend.Put("y", TimeSpan.FromSeconds(0.5));
        _time.Advance(TimeSpan.FromSeconds(1));                // Expired, by the sweep
        Synchronously.Complete(backend.ClearAsync());          // Cleared

        Assert.Empty(deadlocks);
        Assert.Equal(
            [CacheRemovalReason.Replaced, CacheRemovalReason.Removed, CacheRemovalReason.Evicted, CacheRemovalReason.Evicted,
                CacheRemovalReason.Expired, CacheRemovalReason.Expired],
            handled.Where(reason => reason != CacheRemovalReason.Cleared));
        Assert.Equal(Capacity - 2, handled.Count(reason => reason == CacheRemovalReason.Cleared));
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void A_handler_that_writes_back_on_its_own_thread_leaves_the_backend_consistent(BackendPolicy policy)
    {
        using var backend = Create(policy, capacity: 3);
        var evicted = 0;
        backend.EntryRemoved += (_, e) =>
        {
            if (e.Reason != CacheRemovalReason.Evicted)
            {
                return;
            }

            evicted++;
            if (!e.Key.StartsWith("echo-", StringComparison.Ordinal))
            {
                // Writing a new key into the full backend evicts again, from inside this notification.
                backend.Put("echo-" + e.Key);
            }
        };

        backend.PutAll("a", "b", "c", "d", "e");

        Assert.Equal(3, backend.Count);
        Assert.Equal(3, Synchronously.Result(backend.CountAsync()));
        Assert.Equal(evicted, backend.Statistics.Evictions);
        Assert.All(backend.SnapshotLiveEntries(), entry => Assert.Equal(InMemoryBackendTestExtensions.ValueOf(entry.Key), entry.Value));
        Assert.All(backend.LiveKeys(), key => Assert.True(backend.Read(key).HasValue));
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void A_throwing_handler_neither_fails_the_operation_nor_breaks_the_backend(BackendPolicy policy)
    {
        using var backend = Create(policy, capacity: 2);
        var calls = 0;
        backend.EntryRemoved += (_, _) =>
        {
            calls++;
            throw new InvalidOperationException("A listener failed.");
        };

        backend.PutAll("a", "b");
        backend.Put("a");                                          // Replaced
        backend.Put("c");                                          // Evicted
        Assert.True(Synchronously.Result(backend.RemoveAsync("c"))); // Removed
        backend.Put("x", TimeSpan.FromSeconds(0.5));
        _time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.False(backend.Read("x").HasValue);                  // Expired, on a read
        backend.Put("y", TimeSpan.FromSeconds(0.5));
        _time.Advance(TimeSpan.FromSeconds(1));                    // Expired, by the sweep
        Assert.Equal(1, backend.Count);
        Synchronously.Complete(backend.ClearAsync());              // Cleared

        Assert.Equal(6, calls);
        Assert.Equal(0, backend.Count);
        backend.PutAll("p", "q", "r");
        Assert.Equal(["q", "r"], backend.LiveKeys());
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void A_throwing_handler_does_not_keep_the_notification_from_later_handlers(BackendPolicy policy)
    {
        using var backend = Create(policy);
        backend.EntryRemoved += (_, _) => throw new InvalidOperationException("A listener failed.");
        var removals = new RemovalRecorder(backend);
        backend.Put("k");

        Synchronously.Result(backend.RemoveAsync("k"));

        Assert.Equal([("k", (object?)"value of k", CacheRemovalReason.Removed)], removals.Removals);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void The_sender_is_the_backend(BackendPolicy policy)
    {
        using var backend = Create(policy);
        object? sender = null;
        backend.EntryRemoved += (s, _) => sender = s;
        backend.Put("k");

        Synchronously.Result(backend.RemoveAsync("k"));

        Assert.Same(backend, sender);
    }

    private InMemoryBackend Create(BackendPolicy policy, int capacity = 100) => InMemoryBackends.Create(policy, capacity, _time);
}
