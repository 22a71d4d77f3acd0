using Cacheweave.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Resilience;

public sealed class CircuitBreakerTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<(CircuitState From, CircuitState To)> _transitions = [];

    private CircuitBreaker Create(int threshold = 3, double breakSeconds = 5)
    {
        var breaker = new CircuitBreaker(
            new CircuitBreakerOptions { FailureThreshold = threshold, BreakDuration = TimeSpan.FromSeconds(breakSeconds) },
            _time);
        breaker.StateChanged += (_, e) =>
        {
            lock (_transitions)
            {
                _transitions.Add((e.PreviousState, e.NewState));
            }
        };
        return breaker;
    }

    private static void Fail(CircuitBreaker breaker, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.True(breaker.TryAcquire());
            breaker.RecordFailure();
        }
    }

    [Fact]
    public void A_closed_circuit_lets_every_call_through()
    {
        var breaker = Create();

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.All(Enumerable.Range(0, 10), _ => Assert.True(breaker.TryAcquire()));
    }

    [Fact]
    public void The_threshold_of_consecutive_failures_opens_the_circuit()
    {
        var breaker = Create(threshold: 3);

        Fail(breaker, 2);
        Assert.Equal(CircuitState.Closed, breaker.State);
        Fail(breaker, 1);

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.False(breaker.TryAcquire());
        Assert.Equal([(CircuitState.Closed, CircuitState.Open)], _transitions);
    }

    [Fact]
    public void A_success_resets_the_count_of_consecutive_failures()
    {
        var breaker = Create(threshold: 3);

        Fail(breaker, 2);
        breaker.RecordSuccess();
        Fail(breaker, 2);

        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public void An_open_circuit_refuses_calls_until_the_break_duration_has_passed()
    {
        var breaker = Create(threshold: 1, breakSeconds: 5);
        Fail(breaker, 1);

        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(breaker.TryAcquire());

        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(breaker.TryAcquire());
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
    }

    [Fact]
    public void A_half_open_circuit_lets_one_probe_through_at_a_time()
    {
        var breaker = Create(threshold: 1);
        Fail(breaker, 1);
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.True(breaker.TryAcquire());
        Assert.False(breaker.TryAcquire());
        Assert.False(breaker.TryAcquire());
    }

    [Fact]
    public void A_successful_probe_closes_the_circuit()
    {
        var breaker = Create(threshold: 1);
        Fail(breaker, 1);
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.True(breaker.TryAcquire());
        breaker.RecordSuccess();

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.True(breaker.TryAcquire());
        Assert.Equal(
            [(CircuitState.Closed, CircuitState.Open), (CircuitState.Open, CircuitState.HalfOpen), (CircuitState.HalfOpen, CircuitState.Closed)],
            _transitions);
    }

    [Fact]
    public void A_failed_probe_opens_the_circuit_for_another_break()
    {
        var breaker = Create(threshold: 1, breakSeconds: 5);
        Fail(breaker, 1);
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.True(breaker.TryAcquire());
        breaker.RecordFailure();

        Assert.Equal(CircuitState.Open, breaker.State);
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(breaker.TryAcquire());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(breaker.TryAcquire());
    }

    [Fact]
    public void A_cancelled_probe_lets_the_next_caller_probe()
    {
        var breaker = Create(threshold: 1);
        Fail(breaker, 1);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(breaker.TryAcquire());

        breaker.RecordCancellation();

        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        Assert.True(breaker.TryAcquire());
    }

    [Fact]
    public void Concurrent_failures_open_the_circuit_exactly_once()
    {
        var breaker = Create(threshold: 5);
        using var start = new Barrier(4);

        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 10_000; i++)
            {
                if (breaker.TryAcquire())
                {
                    breaker.RecordFailure();
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal([(CircuitState.Closed, CircuitState.Open)], _transitions);
    }

    [Fact]
    public void Concurrent_callers_of_a_half_open_circuit_get_exactly_one_probe()
    {
        var breaker = Create(threshold: 1);
        Fail(breaker, 1);
        _time.Advance(TimeSpan.FromSeconds(5));
        var acquired = 0;
        using var start = new Barrier(4);

        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 1_000; i++)
            {
                if (breaker.TryAcquire())
                {
                    Interlocked.Increment(ref acquired);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(1, acquired);
    }

    [Theory]
    [InlineData(0, 1, "FailureThreshold")]
    [InlineData(1, 0, "BreakDuration")]
    [InlineData(1, -1, "BreakDuration")]
    public void Settings_out_of_range_are_rejected_by_name(int threshold, double breakSeconds, string setting)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CircuitBreaker(
            new CircuitBreakerOptions { FailureThreshold = threshold, BreakDuration = TimeSpan.FromSeconds(breakSeconds) }));

        Assert.Equal(setting, error.ParamName);
    }
}
