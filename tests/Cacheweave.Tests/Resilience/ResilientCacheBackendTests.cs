#pragma warning disable CA2012 // NSubstitute configures a call by making it; the ValueTask it returns is not consumed.

using Cacheweave.Backends;
using Cacheweave.Resilience;
using Cacheweave.Tests.Tiers;
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
        Assert.Equal(CircuitState.Open, _backend.CircuitBreaker.State);
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

        Assert.Equal(CircuitState.Closed, _backend.CircuitBreaker.State);
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

        Assert.Equal(CircuitState.Closed, backend.CircuitBreaker.State);
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
        Assert.Equal(CircuitState.Closed, backend.CircuitBreaker.State);
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
}
