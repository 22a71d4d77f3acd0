using Cacheweave.Backends;
using Cacheweave.Resilience;
using Cacheweave.Tests.Backends;
using Cacheweave.Tests.Interception;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Resilience;

/// <summary>Time-to-live operations through the resilient wrapper: a change the tier did not take is never reported as done.</summary>
public sealed class ResilientTimeToLiveTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task A_change_the_tier_does_not_take_throws_and_leaves_the_key_pending()
    {
        var tier = new SwitchableTier(new LruBackend(10, _time));
        using var backend = new ResilientCacheBackend(tier, timeProvider: _time);
        await backend.PutAsync("k", "v", new CacheEntryOptions { TimeToLive = Minute });
        await backend.PutAsync("j", "v", new CacheEntryOptions { TimeToLive = Minute });
        tier.IsDown = true;

        await Assert.ThrowsAsync<CacheBackendUnavailableException>(async () => await backend.SetTimeToLiveAsync("k", TimeSpan.FromSeconds(1)));
        await Assert.ThrowsAsync<CacheBackendUnavailableException>(async () => await backend.ExpireAtAsync("j", _time.GetUtcNow()));
        await Assert.ThrowsAsync<CacheBackendUnavailableException>(async () => await backend.GetTimeToLiveAsync("other"));

        // A key whose removal is owed is as good as gone: a further change finds nothing, without asking the tier.
        Assert.False(await backend.SetTimeToLiveAsync("k", Minute));
        Assert.Equal(2, backend.PendingInvalidationCount);

        // The old entry is never served, whatever expiry it kept, and TTL calls find nothing under it.
        tier.IsDown = false;
        Assert.False((await backend.GetAsync<string>("k")).HasValue);
        Assert.Equal(CacheResult<TimeSpan?>.Miss, await backend.GetTimeToLiveAsync("k"));
        Assert.False(await backend.SetTimeToLiveAsync("k", Minute));
        Assert.True(tier.Inner.Holds("k"), "the tier still holds the value whose removal is owed");
    }

    [Fact]
    public async Task A_healthy_tier_answers_time_to_live_calls_through_the_wrapper()
    {
        using var backend = new ResilientCacheBackend(new LruBackend(10, _time), timeProvider: _time);
        await backend.PutAsync("k", "v", new CacheEntryOptions { TimeToLive = Minute });

        Assert.True(await backend.SetTimeToLiveAsync("k", 2 * Minute));
        Assert.Equal(new CacheResult<TimeSpan?>(2 * Minute), await backend.GetTimeToLiveAsync("k"));
        Assert.True(await backend.ExpireAtAsync("k", _time.GetUtcNow()));
        Assert.False((await backend.GetAsync<string>("k")).HasValue);
        Assert.Equal(0, backend.PendingInvalidationCount);
    }

    [Fact]
    public async Task A_tier_written_before_time_to_live_operations_reports_them_unsupported_without_tripping_the_circuit()
    {
        using var backend = new ResilientCacheBackend(new NonOwningBackend(new LruBackend(10, _time)), timeProvider: _time);

        for (var i = 0; i < 10; i++)
        {
            var exception = await Assert.ThrowsAsync<NotSupportedException>(async () => await backend.SetTimeToLiveAsync("k", Minute));
            Assert.Contains(nameof(NonOwningBackend), exception.Message, StringComparison.Ordinal);
        }

        Assert.Equal(CircuitState.Closed, backend.ReadCircuit.State);
        Assert.Equal(CircuitState.Closed, backend.WriteCircuit.State);
        Assert.Equal(0, backend.PendingInvalidationCount);
    }
}
