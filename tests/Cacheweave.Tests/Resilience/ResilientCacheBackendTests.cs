#pragma warning disable CA2012 // NSubstitute configures a call by making it; the ValueTask it returns is not consumed.

using Cacheweave.Backends;
using Cacheweave.Resilience;
using Cacheweave.Serialization;
using Cacheweave.Tests.Tiers;
using Cacheweave.Tiers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace Cacheweave.Tests.Resilience;

public sealed class ResilientCacheBackendTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogCollector _logs = new();
    private readonly FakeSharedTier _tier;
    private readonly ResilientCacheBackend _backend;

    public ResilientCacheBackendTests()
    {
        _tier = new FakeSharedTier(_time);
        _backend = Wrap(_tier);
    }

    private ResilientCacheBackend Wrap(ICacheBackend inner) => new(
        inner,
        new ResilientCacheBackendOptions
        {
            Timeout = TimeSpan.FromMilliseconds(200),
            CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 2, BreakDuration = TimeSpan.FromSeconds(1) },
        },
        new FakeLogger<ResilientCacheBackend>(_logs),
        _time);

    [Fact]
    public async Task A_healthy_tier_is_used_as_is()
    {
        await _backend.PutAsync("k", "v");

        Assert.Equal("v", (await _backend.GetAsync<string>("k")).Value);
        Assert.True(await _backend.RemoveAsync("k"));
        Assert.Equal(0, await _backend.CountAsync());
    }

    [Fact]
    public async Task A_failing_read_is_a_logged_miss()
    {
        await _backend.PutAsync("k", "v");
        _tier.IsDown = true;

        var read = await _backend.GetAsync<string>("k");

        Assert.False(read.HasValue);
        var log = Assert.Single(_logs.GetSnapshot(), l => l.Id.Id == 1101);
        Assert.Equal(LogLevel.Warning, log.Level);
        Assert.IsType<IOException>(log.Exception);
    }

    [Fact]
    public async Task Failing_writes_and_removals_are_dropped_without_an_exception()
    {
        _tier.IsDown = true;

        await _backend.PutAsync("k", "v");
        var removed = await _backend.RemoveAsync("k");
        await _backend.ClearAsync();

        Assert.False(removed);
        _tier.IsDown = false;
        Assert.False(_tier.Contains("k"));
    }

    [Fact]
    public async Task A_read_that_outlasts_the_timeout_is_a_miss()
    {
        var never = new TaskCompletionSource<CacheResult<string>>();
        var hanging = Substitute.For<ICacheBackend>();
        hanging.GetAsync<string>("k", Arg.Any<CancellationToken>()).Returns(new ValueTask<CacheResult<string>>(never.Task));
        var backend = Wrap(hanging);

        var pending = backend.GetAsync<string>("k").AsTask();
        Assert.False(pending.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(200));
        var read = await pending;

        Assert.False(read.HasValue);
        Assert.Contains(_logs.GetSnapshot(), l => l.Id.Id == 1101 && l.Exception is TimeoutException);
    }

    [Fact]
    public async Task An_open_circuit_keeps_calls_away_from_the_tier()
    {
        _tier.IsDown = true;
        await _backend.GetAsync<string>("a");
        await _backend.GetAsync<string>("b");
        Assert.Equal(CircuitState.Open, _backend.ReadCircuit.State);
        var callsWhenOpened = _tier.Calls;

        for (var i = 0; i < 100; i++)
        {
            Assert.False((await _backend.GetAsync<string>("k")).HasValue);
            await _backend.PutAsync("k", i);
        }

        Assert.Equal(callsWhenOpened, _tier.Calls);
    }

    [Fact]
    public async Task After_the_break_a_successful_probe_puts_the_tier_back_in_use()
    {
        _tier.IsDown = true;
        await _backend.GetAsync<string>("a");
        await _backend.GetAsync<string>("b");
        _tier.IsDown = false;

        _time.Advance(TimeSpan.FromSeconds(1));
        await _backend.PutAsync("k", "back");

        Assert.Equal(CircuitState.Closed, _backend.ReadCircuit.State);
        Assert.Equal("back", (await _backend.GetAsync<string>("k")).Value);
        Assert.Contains(_logs.GetSnapshot(), l => l.Id.Id == 1105);
    }

    [Fact]
    public async Task A_value_the_tier_rejects_as_an_argument_reaches_the_caller_and_is_not_a_tier_failure()
    {
        var picky = Substitute.For<ICacheBackend>();
        picky.PutAsync("k", Arg.Any<object>(), Arg.Any<CacheEntryOptions?>(), Arg.Any<CancellationToken>())
            .Returns<ValueTask>(_ => throw new ArgumentException("cannot serialize", "value"));
        var backend = Wrap(picky);

        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<ArgumentException>(async () => await backend.PutAsync<object>("k", new object()));
        }

        Assert.Equal(CircuitState.Closed, backend.ReadCircuit.State);
    }

    [Fact]
    public async Task The_callers_cancellation_reaches_the_caller()
    {
        var never = new TaskCompletionSource<CacheResult<string>>();
        var hanging = Substitute.For<ICacheBackend>();
        hanging.GetAsync<string>("k", Arg.Any<CancellationToken>()).Returns(new ValueTask<CacheResult<string>>(never.Task));
        var backend = Wrap(hanging);
        using var cancellation = new CancellationTokenSource();

        var pending = backend.GetAsync<string>("k", cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.Equal(CircuitState.Closed, backend.ReadCircuit.State);
    }

    [Fact]
    public async Task Count_has_no_honest_fallback_and_reports_the_outage()
    {
        _tier.IsDown = true;

        var failed = await Assert.ThrowsAsync<CacheBackendUnavailableException>(async () => await _backend.CountAsync());
        await _backend.GetAsync<string>("k");
        var refused = await Assert.ThrowsAsync<CacheBackendUnavailableException>(async () => await _backend.CountAsync());

        Assert.IsType<IOException>(failed.InnerException);
        Assert.Contains("circuit is open", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_disposes_the_wrapped_tier()
    {
        var inner = new LruBackend(10);
        var backend = Wrap(inner);

        await backend.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await inner.GetAsync<int>("k"));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await backend.GetAsync<int>("k"));
    }

    [Fact]
    public async Task A_bad_key_is_rejected_before_the_circuit_is_consulted()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await _backend.GetAsync<int>(""));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await _backend.PutAsync<int>(null!, 1));
    }

    [Fact]
    public async Task A_value_the_tier_refuses_to_store_reaches_the_caller_and_is_not_a_tier_failure()
    {
        var picky = Substitute.For<ICacheBackend>();
        picky.PutAsync("k", Arg.Any<object>(), Arg.Any<CacheEntryOptions?>(), Arg.Any<CancellationToken>())
            .Returns(ValueTask.FromException(new CacheValueRejectedException("k", CacheValueRejectionReason.TooLarge, "too large")));
        var backend = Wrap(picky);

        for (var i = 0; i < 5; i++)
        {
            var error = await Assert.ThrowsAsync<CacheValueRejectedException>(async () => await backend.PutAsync<object>("k", new object()));
            Assert.Equal(CacheValueRejectionReason.TooLarge, error.Reason);
        }

        Assert.Equal(CircuitState.Closed, backend.ReadCircuit.State);
        Assert.Equal(CircuitState.Closed, backend.WriteCircuit.State);
        Assert.Equal(0, backend.PendingInvalidationCount);
        Assert.DoesNotContain(_logs.GetSnapshot(), l => l.Id.Id == 1101);
    }

    [Fact]
    public async Task After_a_timeout_every_call_fails_at_once_until_the_tier_answers_again()
    {
        var late = new TaskCompletionSource<CacheResult<string>>();
        var hanging = Substitute.For<ICacheBackend>();
        hanging.GetAsync<string>(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<CacheResult<string>>(late.Task));
        var backend = Wrap(hanging);

        var first = backend.GetAsync<string>("a").AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.False((await first).HasValue);
        Assert.True(backend.IsHanging);

        var second = backend.GetAsync<string>("b");
        var write = backend.PutAsync("c", "v");

        Assert.True(second.IsCompletedSuccessfully);
        Assert.True(write.IsCompletedSuccessfully);
        Assert.False((await second).HasValue);
        await write;
        _ = hanging.DidNotReceive().GetAsync<string>("b", Arg.Any<CancellationToken>());
        _ = hanging.DidNotReceive().PutAsync("c", Arg.Any<string>(), Arg.Any<CacheEntryOptions?>(), Arg.Any<CancellationToken>());

        // The abandoned call's late answer shows the tier is back.
        late.SetResult(CacheResult<string>.Miss);
        Assert.False(backend.IsHanging);
    }

    [Fact]
    public async Task Failing_writes_open_only_the_write_circuit_and_reads_and_removals_keep_working()
    {
        await _tier.PutAsync("k", "v");
        var backend = Wrap(new WriteRefusingTier(_tier) { Refuses = true });

        for (var i = 0; i < 5; i++)
        {
            await backend.PutAsync($"w{i}", i);
        }

        Assert.Equal(CircuitState.Open, backend.WriteCircuit.State);
        Assert.Equal(CircuitState.Closed, backend.ReadCircuit.State);
        Assert.Equal("v", (await backend.GetAsync<string>("k")).Value);
        Assert.Equal(CacheInvalidationResult.Removed, await backend.InvalidateAsync("k"));
    }

    [Fact]
    public async Task A_key_whose_removal_did_not_reach_the_tier_is_a_miss_until_the_removal_is_replayed()
    {
        await _backend.PutAsync("k", "old");
        _tier.IsDown = true;

        Assert.Equal(CacheInvalidationResult.Pending, await _backend.InvalidateAsync("k"));
        Assert.False(await _backend.RemoveAsync("k"));
        _tier.IsDown = false;

        Assert.True(_tier.Contains("k"));
        Assert.False((await _backend.GetAsync<string>("k")).HasValue);
        await ReplayAsync(_backend);
        Assert.False(_tier.Contains("k"));
        Assert.Equal(1, _backend.ReplayedInvalidationCount);

        // The replay logs its summary after the last removal left the pending set: wait for it (real time, bounded).
        for (var attempt = 0; !_logs.GetSnapshot().Any(l => l.Id.Id == 1108); attempt++)
        {
            Assert.True(attempt < 1_000, "the replay was not logged (event 1108)");
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task A_write_that_did_not_reach_the_tier_makes_the_older_value_a_miss_until_it_is_removed()
    {
        await _backend.PutAsync("k", "v1");
        _tier.IsDown = true;

        await _backend.PutAsync("k", "v2");
        _tier.IsDown = false;

        Assert.Equal("v1", (await _tier.GetAsync<string>("k")).Value);
        Assert.False((await _backend.GetAsync<string>("k")).HasValue);
        await ReplayAsync(_backend);
        Assert.False(_tier.Contains("k"));
    }

    [Fact]
    public async Task A_later_successful_write_settles_a_pending_removal()
    {
        _tier.IsDown = true;
        await _backend.PutAsync("k", "v1");
        _tier.IsDown = false;
        Assert.Equal(1, _backend.PendingInvalidationCount);

        await _backend.PutAsync("k", "v2");

        Assert.Equal(0, _backend.PendingInvalidationCount);
        Assert.Equal("v2", (await _backend.GetAsync<string>("k")).Value);
    }

    private async Task ReplayAsync(ResilientCacheBackend backend)
    {
        // The replay runs in the background every probe interval on the fake clock.
        for (var attempt = 0; backend.PendingInvalidationCount > 0; attempt++)
        {
            Assert.True(attempt < 2_000, "the pending removals are not replayed");
            _time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(5);
        }
    }
}
