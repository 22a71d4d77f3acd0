#pragma warning disable CA2012 // NSubstitute configures a call by making it; the ValueTask it returns is not consumed.

using Cacheweave.Backends;
using Cacheweave.Resilience;
using Cacheweave.Tests.Tiers;
using Cacheweave.Tiers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace Cacheweave.Tests.Resilience;

/// <summary>
/// Pending removals live in the process: disposing sends them once more, and those the tier still does not take are
/// logged as an error naming their keys, never dropped in silence.
/// </summary>
public sealed class PendingAtDisposeTests
{
    // The clock never moves, so the background replay never runs: only disposal can send the removals.
    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogCollector _logs = new();
    private readonly FakeSharedTier _tier;

    public PendingAtDisposeTests() => _tier = new FakeSharedTier(_time);

    private static ResilientCacheBackendOptions Options => new()
    {
        Timeout = TimeSpan.FromMilliseconds(500),
        ProbeInterval = TimeSpan.FromHours(1),
        CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 100, BreakDuration = TimeSpan.FromSeconds(1) },
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Disposing_sends_a_pending_removal_that_the_tier_now_takes(bool asynchronously)
    {
        var backend = new ResilientCacheBackend(_tier, Options, new FakeLogger<ResilientCacheBackend>(_logs), _time);
        await backend.PutAsync("price:7", 1);
        _tier.IsDown = true;
        Assert.Equal(CacheInvalidationResult.Pending, await backend.InvalidateAsync("price:7"));
        _tier.IsDown = false;

        if (asynchronously)
        {
            await backend.DisposeAsync();
        }
        else
        {
            backend.Dispose();
        }

        Assert.False(_tier.Contains("price:7"));
        Assert.Equal(1, backend.ReplayedInvalidationCount);
        Assert.DoesNotContain(_logs.GetSnapshot(), log => log.Id.Id == 1112);
    }

    [Fact]
    public async Task Removals_still_owed_at_disposal_are_logged_as_an_error_naming_their_keys()
    {
        var backend = new ResilientCacheBackend(_tier, Options, new FakeLogger<ResilientCacheBackend>(_logs), _time);
        await backend.PutAsync("price:7", 1);
        await backend.PutAsync("price:8", 2);
        _tier.IsDown = true;
        await backend.InvalidateAsync("price:7");
        await backend.InvalidateAsync("price:8");

        await backend.DisposeAsync();

        var log = Assert.Single(_logs.GetSnapshot(), l => l.Id.Id == 1112);
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Contains("owed 2 removals", log.Message, StringComparison.Ordinal);
        Assert.Contains("price:7", log.Message, StringComparison.Ordinal);
        Assert.Contains("price:8", log.Message, StringComparison.Ordinal);
        _tier.IsDown = false;
        Assert.True(_tier.Contains("price:7"));
    }

    [Fact]
    public async Task Disposal_ends_within_the_timeout_when_the_tier_hangs()
    {
        var never = new TaskCompletionSource<bool>();
        var hanging = Substitute.For<ICacheBackend>();
        hanging.RemoveAsync("price:7", Arg.Any<CancellationToken>())
            .Returns(_ => throw new IOException("The tier is down."), _ => new ValueTask<bool>(never.Task));
        var backend = new ResilientCacheBackend(hanging, Options, new FakeLogger<ResilientCacheBackend>(_logs), _time);
        await backend.InvalidateAsync("price:7");

        // The fake clock never reaches the timeout: disposal is bounded by real time, not by the cache's clock.
        await backend.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        await hanging.Received(2).RemoveAsync("price:7", Arg.Any<CancellationToken>());
        Assert.Single(_logs.GetSnapshot(), l => l.Id.Id == 1112);
    }

    [Fact]
    public async Task A_node_being_disposed_tells_the_other_nodes_about_the_removal_it_replays()
    {
        var bus = new InProcessInvalidationBus();
        using var loggers = new LoggerFactory([new FakeLoggerProvider(_logs)]);
        var options = new TwoLevelBackendOptions { MaxLocalTimeToLive = TimeSpan.FromMinutes(1), SharedTierResilience = Options };
        var writer = new TwoLevelBackend(new LruBackend(100, _time), _tier, bus.CreateEndpoint(), options, loggers, _time);
        await using var reader = new TwoLevelBackend(new LruBackend(100, _time), _tier, bus.CreateEndpoint(), options, loggers, _time);
        await writer.PutAsync("price:7", 1);

        _tier.IsDown = true;
        Assert.Equal(CacheInvalidationResult.Pending, await writer.InvalidateAsync("price:7"));
        _tier.IsDown = false;

        // The reader copies the old value from the shared tier, which still holds it, into its own local tier.
        Assert.Equal(1, (await reader.GetAsync<int>("price:7")).Value);

        await writer.DisposeAsync();

        Assert.False(_tier.Contains("price:7"));
        Assert.False((await reader.LocalTier.GetAsync<int>("price:7")).HasValue);
        Assert.False((await reader.GetAsync<int>("price:7")).HasValue);
    }
}
