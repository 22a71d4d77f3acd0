using Cacheweave.Backends;
using Cacheweave.Resilience;
using Cacheweave.Tests.Backends;
using Cacheweave.Tests.Resilience;
using Cacheweave.Tiers;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Tiers;

/// <summary>Time-to-live operations on a two-level backend: L2 decides, and an L1 copy never outlives L2.</summary>
public sealed class TwoLevelTimeToLiveTests : IDisposable
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    private readonly FakeTimeProvider _time = new();
    private readonly LruTtlBackend _local;
    private readonly SwitchableTier _shared;
    private readonly InProcessInvalidationBus _bus = new();
    private readonly TwoLevelBackend _backend;
    private readonly TwoLevelBackend _otherProcess;

    public TwoLevelTimeToLiveTests()
    {
        _local = new LruTtlBackend(100, TimeSpan.FromHours(1), _time);
        _shared = new SwitchableTier(new LruBackend(100, _time));
        var options = new TwoLevelBackendOptions { MaxLocalTimeToLive = 10 * Minute };
        _backend = new TwoLevelBackend(_local, _shared, _bus.CreateEndpoint(), options, timeProvider: _time);
        _otherProcess = new TwoLevelBackend(new LruTtlBackend(100, TimeSpan.FromHours(1), _time), _shared, _bus.CreateEndpoint(), options, timeProvider: _time);
    }

    // Both own the shared tier; disposing it twice is harmless.
    public void Dispose()
    {
        _backend.Dispose();
        _otherProcess.Dispose();
    }

    [Fact]
    public async Task A_shorter_time_to_live_reaches_L2_and_this_processs_copy_and_drops_the_others_copies()
    {
        await _backend.PutAsync("k", "v", new CacheEntryOptions { TimeToLive = 5 * Minute });
        await _otherProcess.GetAsync<string>("k");
        Assert.True(_otherProcess.LocalTier is InMemoryBackend other && other.Holds("k"));

        Assert.True(await _backend.SetTimeToLiveAsync("k", Minute));

        Assert.Equal(new CacheResult<TimeSpan?>(Minute), await _backend.GetTimeToLiveAsync("k"));
        Assert.Equal(new CacheResult<TimeSpan?>(Minute), _local.GetTimeToLive("k"));
        Assert.False(((InMemoryBackend)_otherProcess.LocalTier).Holds("k"));
        _time.Advance(Minute - OneTick);
        Assert.True((await _backend.GetAsync<string>("k")).HasValue);
        _time.Advance(OneTick);
        Assert.False(_local.Holds("k"));
        Assert.False((await _backend.GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task A_longer_or_removed_expiry_gives_the_local_copy_no_more_than_the_cap()
    {
        await _backend.PutAsync("longer", "v", new CacheEntryOptions { TimeToLive = Minute });
        await _backend.PutAsync("persistent", "v", new CacheEntryOptions { TimeToLive = Minute });

        Assert.True(await _backend.SetTimeToLiveAsync("longer", 60 * Minute));
        Assert.True(await _backend.SetTimeToLiveAsync("persistent", null));

        Assert.Equal(new CacheResult<TimeSpan?>(60 * Minute), await _backend.GetTimeToLiveAsync("longer"));
        Assert.Equal(new CacheResult<TimeSpan?>(null), await _backend.GetTimeToLiveAsync("persistent"));
        Assert.Equal(new CacheResult<TimeSpan?>(10 * Minute), _local.GetTimeToLive("longer"));
        Assert.Equal(new CacheResult<TimeSpan?>(10 * Minute), _local.GetTimeToLive("persistent"));
    }

    [Fact]
    public async Task Expire_at_drops_the_local_copy_so_the_next_read_copies_what_L2_has_left()
    {
        await _backend.PutAsync("k", "v", new CacheEntryOptions { TimeToLive = 5 * Minute });

        Assert.True(await _backend.ExpireAtAsync("k", _time.GetUtcNow() + (2 * Minute)));

        Assert.False(_local.Holds("k"));
        Assert.Equal(new CacheResult<string>("v"), await _backend.GetAsync<string>("k"));
        Assert.Equal(new CacheResult<TimeSpan?>(2 * Minute), await _backend.GetTimeToLiveAsync("k"));
    }

    [Fact]
    public async Task A_key_L2_does_not_hold_reports_false_and_leaves_no_local_copy()
    {
        await _local.PutAsync("stale", "v");

        Assert.False(await _backend.SetTimeToLiveAsync("stale", Minute));

        Assert.False(_local.Holds("stale"));
        Assert.Equal(CacheResult<TimeSpan?>.Miss, await _backend.GetTimeToLiveAsync("stale"));
    }

    [Fact]
    public async Task When_L2_cannot_take_the_change_the_local_copy_goes_and_the_call_throws()
    {
        await _backend.PutAsync("k", "v", new CacheEntryOptions { TimeToLive = 5 * Minute });
        _shared.IsDown = true;

        await Assert.ThrowsAsync<CacheBackendUnavailableException>(async () => await _backend.SetTimeToLiveAsync("k", Minute));
        await Assert.ThrowsAsync<CacheBackendUnavailableException>(async () => await _backend.GetTimeToLiveAsync("other"));
        Assert.Equal(CacheResult<TimeSpan?>.Miss, await _backend.GetTimeToLiveAsync("k"));

        Assert.False(_local.Holds("k"));
        Assert.False((await _backend.GetAsync<string>("k")).HasValue);
        Assert.Equal(1, _backend.SharedTier.PendingInvalidationCount);
    }
}
