using Cacheweave.Diagnostics;
using Microsoft.Extensions.Logging;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace Cacheweave.Tests.FailSafe;

public sealed class FailSafeTests : InventoryTests
{
    public static TheoryData<string> Shapes => new() { "Task", "ValueTask", "Sync" };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Fail_safe_serves_the_stale_value_when_the_method_throws_after_expiry(string shape)
    {
        Arrange(shape, new Stock(1, 5));
        Assert.Equal(new Stock(1, 5), await CallAsync(shape, 1));

        Harness.Time.Advance(TimeSpan.FromSeconds(11));
        ArrangeFailure(shape, new InvalidOperationException("inventory down"));

        Assert.Equal(new Stock(1, 5), await CallAsync(shape, 1));
        Assert.Equal(2, CallsTo(shape));
        Assert.Equal(1, Harness.CountOf(MethodOf(shape), CacheCallOutcome.FailSafe));
        Assert.Contains(Harness.Log.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Exception is InvalidOperationException);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task The_method_runs_again_after_expiry_and_its_result_replaces_the_entry(string shape)
    {
        Arrange(shape, new Stock(1, 5));
        await CallAsync(shape, 1);
        Harness.Time.Advance(TimeSpan.FromSeconds(11));
        Arrange(shape, new Stock(1, 6));

        Assert.Equal(new Stock(1, 6), await CallAsync(shape, 1));
        Assert.Equal(new Stock(1, 6), await CallAsync(shape, 1));
        Assert.Equal(2, CallsTo(shape));
    }

    [Fact]
    public async Task Before_expiry_the_method_does_not_run_and_the_call_is_a_hit()
    {
        Real.StockAsync(1, Arg.Any<CancellationToken>()).Returns(new Stock(1, 5));
        await Proxy.StockAsync(1);
        Harness.Time.Advance(TimeSpan.FromSeconds(9));

        Assert.Equal(new Stock(1, 5), await Proxy.StockAsync(1));
        await Real.Received(1).StockAsync(1, Arg.Any<CancellationToken>());
        Assert.Equal(1, Harness.CountOf(nameof(IInventory.StockAsync), CacheCallOutcome.Hit));
    }

    [Fact]
    public async Task Past_the_fail_safe_window_the_exception_reaches_the_caller()
    {
        Real.StockAsync(1, Arg.Any<CancellationToken>()).Returns(new Stock(1, 5));
        await Proxy.StockAsync(1);

        // TTL 10 s + fail-safe 60 s: the stale value is gone.
        Harness.Time.Advance(TimeSpan.FromSeconds(71));
        Real.StockAsync(1, Arg.Any<CancellationToken>()).ThrowsAsync(new InvalidOperationException("inventory down"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Proxy.StockAsync(1));
        Assert.Equal(0, Harness.CountOf(nameof(IInventory.StockAsync), CacheCallOutcome.FailSafe));
    }

    [Fact]
    public async Task Without_a_cached_value_the_exception_reaches_the_caller_and_nothing_is_cached()
    {
        Real.StockAsync(1, Arg.Any<CancellationToken>()).ThrowsAsync(new InvalidOperationException("inventory down"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Proxy.StockAsync(1));
        Real.StockAsync(1, Arg.Any<CancellationToken>()).Returns(new Stock(1, 5));
        Assert.Equal(new Stock(1, 5), await Proxy.StockAsync(1));
    }

    [Fact]
    public async Task The_backend_keeps_the_entry_for_the_time_to_live_plus_the_fail_safe_window()
    {
        Real.StockAsync(1, Arg.Any<CancellationToken>()).Returns(new Stock(1, 5));
        await Proxy.StockAsync(1);
        Assert.Equal(1, await Harness.Backend.CountAsync());

        Harness.Time.Advance(TimeSpan.FromSeconds(69));
        Assert.Equal(1, await Harness.Backend.CountAsync());
        Harness.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, await Harness.Backend.CountAsync());
    }

    [Fact]
    public async Task Throttle_keeps_the_method_from_running_again_within_its_window()
    {
        Real.ThrottledAsync(1).Returns(new Stock(1, 5));
        await Proxy.ThrottledAsync(1);
        Harness.Time.Advance(TimeSpan.FromSeconds(11));
        Real.ThrottledAsync(1).ThrowsAsync(new InvalidOperationException("inventory down"));

        Assert.Equal(new Stock(1, 5), await Proxy.ThrottledAsync(1));
        for (var i = 0; i < 4; i++)
        {
            Harness.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(new Stock(1, 5), await Proxy.ThrottledAsync(1));
        }

        await Real.Received(2).ThrottledAsync(1);
        Assert.Equal(4, Harness.CountOf(nameof(IInventory.ThrottledAsync), CacheCallOutcome.StaleServed));

        // The throttle (5 s) is over: the method is tried again.
        Harness.Time.Advance(TimeSpan.FromSeconds(1.5));
        Real.ThrottledAsync(1).Returns(new Stock(1, 9));
        Assert.Equal(new Stock(1, 9), await Proxy.ThrottledAsync(1));
        await Real.Received(3).ThrottledAsync(1);
    }

    [Fact]
    public async Task A_caller_cancelled_while_the_method_fails_gets_its_cancellation_not_the_stale_value()
    {
        Real.StockAsync(1, Arg.Any<CancellationToken>()).Returns(new Stock(1, 5));
        await Proxy.StockAsync(1);
        Harness.Time.Advance(TimeSpan.FromSeconds(11));
        using var cancellation = new CancellationTokenSource();
        Real.StockAsync(1, Arg.Any<CancellationToken>()).Returns(_ =>
        {
            cancellation.Cancel();
            return Task.FromException<Stock>(new OperationCanceledException(cancellation.Token));
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Proxy.StockAsync(1, cancellation.Token));
    }

    private void Arrange(string shape, Stock stock)
    {
        switch (shape)
        {
            case "Task":
                Real.StockAsync(stock.Id, Arg.Any<CancellationToken>()).Returns(stock);
                break;
            case "ValueTask":
                Real.StockValueAsync(stock.Id).Returns(new ValueTask<Stock>(stock));
                break;
            default:
                Real.StockSync(stock.Id).Returns(stock);
                break;
        }
    }

    private void ArrangeFailure(string shape, Exception exception)
    {
        switch (shape)
        {
            case "Task":
                Real.StockAsync(1, Arg.Any<CancellationToken>()).ThrowsAsync(exception);
                break;
            case "ValueTask":
                Real.StockValueAsync(1).Returns(ValueTask.FromException<Stock>(exception));
                break;
            default:
                Real.StockSync(1).Throws(exception);
                break;
        }
    }

    private async Task<Stock> CallAsync(string shape, int id) => shape switch
    {
        "Task" => await Proxy.StockAsync(id),
        "ValueTask" => await Proxy.StockValueAsync(id),
        _ => Proxy.StockSync(id),
    };

    private int CallsTo(string shape) => Real.ReceivedCalls().Count(c => c.GetMethodInfo().Name == MethodOf(shape));

    private static string MethodOf(string shape) => shape switch
    {
        "Task" => nameof(IInventory.StockAsync),
        "ValueTask" => nameof(IInventory.StockValueAsync),
        _ => nameof(IInventory.StockSync),
    };
}
