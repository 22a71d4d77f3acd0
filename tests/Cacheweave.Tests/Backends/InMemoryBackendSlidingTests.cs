using Cacheweave.Backends;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends;

/// <summary>Sliding expiry on every in-memory backend: hits push the expiry forward, nothing else does.</summary>
public sealed class InMemoryBackendSlidingTests
{
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);
    private static readonly TimeSpan TenSeconds = TimeSpan.FromSeconds(10);
    private static readonly CacheEntryOptions Sliding = new() { TimeToLive = TenSeconds, Sliding = true };

    private readonly FakeTimeProvider _time = new();

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Each_hit_pushes_the_expiry_to_a_full_time_to_live_after_it(BackendPolicy policy)
    {
        using var backend = Create(policy);
        backend.Set("k", "v", Sliding);

        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TenSeconds - OneTick);
            Assert.Equal(new CacheResult<string>("v"), backend.Read("k"));
            Assert.Equal(new CacheResult<TimeSpan?>(TenSeconds), backend.GetTimeToLive("k"));
        }

        _time.Advance(TenSeconds - OneTick);
        Assert.Equal(new CacheResult<TimeSpan?>(OneTick), backend.GetTimeToLive("k"));
        _time.Advance(OneTick);
        Assert.False(backend.Read("k").HasValue);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Writes_of_other_keys_misses_and_time_to_live_reads_do_not_push_the_expiry(BackendPolicy policy)
    {
        using var backend = Create(policy);
        backend.Set("k", "v", Sliding);

        _time.Advance(TimeSpan.FromSeconds(5));
        backend.Set("other", "w", Sliding);
        Assert.False(backend.Read("absent").HasValue);
        Assert.True(backend.GetTimeToLive("k").HasValue);
        Assert.True(backend.Read("other").HasValue);

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(backend.Read("k").HasValue);
        Assert.True(backend.Read("other").HasValue);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void The_sweep_keeps_a_slid_entry_and_removes_it_once_unread_for_a_full_time_to_live(BackendPolicy policy)
    {
        using var backend = Create(policy);
        var removals = new RemovalRecorder(backend);
        backend.Set("k", "v", Sliding);
        backend.Set("plain", "p", new CacheEntryOptions { TimeToLive = TenSeconds });

        AdvanceSeconds(6);
        Assert.True(backend.Read("k").HasValue);
        AdvanceSeconds(6);

        // The sweep ran past the written expiry: it re-filed the slid entry and removed the other.
        Assert.Equal(["plain"], removals.KeysWith(CacheRemovalReason.Expired));
        Assert.Equal(1, backend.Count);

        AdvanceSeconds(4);
        Assert.Equal(["plain", "k"], removals.KeysWith(CacheRemovalReason.Expired));
        Assert.Equal(0, backend.Count);
    }

    [Fact]
    public void A_full_TTL_backend_evicts_by_the_expiry_hits_have_pushed()
    {
        using var backend = new TtlBackend(TenSeconds, capacity: 2, _time);
        backend.Set("slid", "v", Sliding);
        _time.Advance(TimeSpan.FromSeconds(1));
        backend.Set("plain", "p");
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.True(backend.Read("slid").HasValue);
        backend.Set("new", "n");

        Assert.Equal(["new", "slid"], backend.LiveKeys());
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void A_time_to_live_change_ends_the_sliding(BackendPolicy policy)
    {
        using var backend = Create(policy);
        backend.Set("k", "v", Sliding);

        Assert.True(backend.SetTimeToLive("k", TenSeconds));
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.True(backend.Read("k").HasValue);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(backend.Read("k").HasValue);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Sliding_without_a_time_to_live_is_refused_naming_the_options(BackendPolicy policy)
    {
        using var backend = Create(policy);

        var exception = Assert.Throws<ArgumentException>(() => backend.Set("k", "v", new CacheEntryOptions { Sliding = true }));

        Assert.Equal("options", exception.ParamName);
        Assert.Equal(0, backend.Count);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Hits_on_many_threads_keep_every_read_sliding_entry_alive_and_the_queue_consistent(BackendPolicy policy)
    {
        const int Keys = 64;
        using var backend = Create(policy, capacity: Keys);
        for (var k = 0; k < Keys; k++)
        {
            backend.Set($"k{k}", k, Sliding);
        }

        // Each round: readers hit every key on real threads; then the clock moves 6 s on, past the written expiry
        // after two rounds, and the sweep runs. Every key was hit less than 10 s ago, so none may be gone.
        var misses = 0;
        for (var round = 0; round < 5; round++)
        {
            var readers = Enumerable.Range(0, 4).Select(t => new Thread(() =>
            {
                for (var k = 0; k < Keys; k++)
                {
                    if (!backend.TryGet<int>($"k{(k + (t * 16)) % Keys}", out _))
                    {
                        Interlocked.Increment(ref misses);
                    }
                }
            })).ToList();
            readers.ForEach(r => r.Start());
            readers.ForEach(r => Assert.True(r.Join(TimeSpan.FromMinutes(1))));
            _time.Advance(TimeSpan.FromSeconds(6));

            Assert.Equal(0, misses);
            Assert.Equal(Keys, backend.Count);
        }

        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, Synchronously.Result(backend.CountAsync()));
        Assert.Equal(Keys, backend.Statistics.Expirations);
    }

    private void AdvanceSeconds(int seconds)
    {
        for (var i = 0; i < seconds; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    private InMemoryBackend Create(BackendPolicy policy, int capacity = 100) => InMemoryBackends.Create(policy, capacity, _time);
}
