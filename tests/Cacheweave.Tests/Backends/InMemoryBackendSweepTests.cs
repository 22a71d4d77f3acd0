using System.Runtime.CompilerServices;
using Cacheweave.Backends;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends;

/// <summary>
/// The background sweep, on every in-memory backend: each second of <see cref="TimeProvider"/> time it drops the
/// expired entries that nobody reads; <see cref="IDisposable.Dispose"/> stops it; it does not keep an abandoned
/// backend alive.
/// </summary>
public sealed class InMemoryBackendSweepTests
{
    private static readonly TimeSpan SweepPeriod = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _time = new();

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void The_sweep_drops_expired_entries_without_any_read(BackendPolicy policy)
    {
        using var backend = Create(policy);
        var removals = new RemovalRecorder(backend);
        Synchronously.Complete(backend.PutAsync("short", 1, CacheEntryOptions.FromSeconds(2.5)));
        Synchronously.Complete(backend.PutAsync("long", 2, CacheEntryOptions.FromSeconds(60)));

        Sweep(times: 2);
        Assert.Empty(removals.Removals);
        Assert.Equal(2, backend.Count);

        Sweep(times: 2);
        Assert.Equal([("short", (object?)1, CacheRemovalReason.Expired)], removals.Removals);
        Assert.Equal(1, backend.Count);
        Assert.Equal(new CacheStatistics(Hits: 0, Misses: 0, Evictions: 0, Expirations: 1, Count: 1), backend.Statistics);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void The_sweep_starts_when_the_first_expiring_entry_is_written(BackendPolicy policy)
    {
        using var backend = Create(policy);
        var removals = new RemovalRecorder(backend);
        Sweep(times: 5);

        backend.Put("k", TimeSpan.FromSeconds(1));
        Sweep(times: 2);

        Assert.Equal(["k"], removals.KeysWith(CacheRemovalReason.Expired));
        Assert.Equal(0, backend.Count);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void The_sweep_keeps_running_after_it_has_emptied_the_backend(BackendPolicy policy)
    {
        using var backend = Create(policy);
        var removals = new RemovalRecorder(backend);
        backend.Put("first", TimeSpan.FromSeconds(1));
        Sweep(times: 2);
        Sweep(times: 3);

        backend.Put("second", TimeSpan.FromSeconds(1.5));
        Sweep(times: 3);

        Assert.Equal(["first", "second"], removals.KeysWith(CacheRemovalReason.Expired));
        Assert.Equal(0, backend.Count);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void The_sweep_drops_many_entries_of_many_lifetimes(BackendPolicy policy)
    {
        using var backend = Create(policy, capacity: 1_000);
        for (var i = 0; i < 600; i++)
        {
            backend.Put($"k{i}", TimeSpan.FromSeconds(0.25 * (1 + (i % 12))));
        }

        Sweep(times: 1);
        Assert.Equal(600 - 200, backend.Count);

        Sweep(times: 2);
        Assert.Equal(0, backend.Count);
        Assert.Equal(600, backend.Statistics.Expirations);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Dispose_stops_the_sweep(BackendPolicy policy)
    {
        var backend = Create(policy);
        var removals = new RemovalRecorder(backend);
        backend.Put("k", TimeSpan.FromSeconds(1));

        backend.Dispose();
        Sweep(times: 5);

        Assert.Empty(removals.Removals);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Dispose_disposes_the_sweep_timer(BackendPolicy policy)
    {
        var clock = new TimerTrackingTimeProvider(_time);
        var backend = InMemoryBackends.Create(policy, 100, clock);
        backend.Put("k", TimeSpan.FromSeconds(1));
        Assert.Equal(1, clock.ActiveTimers);

        backend.Dispose();

        Assert.Equal(0, clock.ActiveTimers);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.WithoutDefaultTimeToLive), MemberType = typeof(InMemoryBackends))]
    public void No_sweep_runs_while_no_entry_can_expire(BackendPolicy policy)
    {
        var clock = new TimerTrackingTimeProvider(_time);
        using var backend = InMemoryBackends.Create(policy, 100, clock);

        backend.PutAll("a", "b", "c");

        Assert.Equal(0, clock.CreatedTimers);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void An_abandoned_backend_with_expiring_entries_can_be_collected(BackendPolicy policy)
    {
        var abandoned = CreateAndAbandon(policy, _time);

        CollectEverything();

        Assert.False(abandoned.IsAlive, "The sweep timer keeps an abandoned backend alive.");
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void The_sweep_of_a_collected_backend_stops_its_timer(BackendPolicy policy)
    {
        var clock = new TimerTrackingTimeProvider(_time);
        var abandoned = CreateAndAbandon(policy, clock);
        CollectEverything();
        Assert.False(abandoned.IsAlive, "The sweep timer keeps an abandoned backend alive.");

        Sweep(times: 1);

        Assert.Equal(0, clock.ActiveTimers);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void An_abandoned_backend_on_the_system_clock_can_be_collected(BackendPolicy policy)
    {
        var abandoned = CreateAndAbandon(policy, TimeProvider.System);

        CollectEverything();

        Assert.False(abandoned.IsAlive, "The sweep timer keeps an abandoned backend alive.");
    }

    // Not inlined, so that no local of the test method can keep the backend reachable.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference CreateAndAbandon(BackendPolicy policy, TimeProvider time)
    {
        var backend = InMemoryBackends.Create(policy, 10, time);
        Synchronously.Complete(backend.PutAsync("expiring", 1, CacheEntryOptions.FromSeconds(30)));
        Synchronously.Complete(backend.PutAsync("other", 2));
        return new WeakReference(backend);
    }

    private static void CollectEverything()
    {
        for (var i = 0; i < 2; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
        }
    }

    private InMemoryBackend Create(BackendPolicy policy, int capacity = 100) => InMemoryBackends.Create(policy, capacity, _time);

    private void Sweep(int times)
    {
        for (var i = 0; i < times; i++)
        {
            _time.Advance(SweepPeriod);
        }
    }
}
