using Cacheweave.Diagnostics;
using Cacheweave.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace Cacheweave.Tests.FailSafe;

public sealed class EagerRefreshTests : InventoryTests
{
    [Fact]
    public async Task Eager_refresh_runs_exactly_once_per_key_under_100_concurrent_hits_and_callers_never_wait_for_it()
    {
        Real.EagerAsync(1).Returns(new Stock(1, 1));
        await Proxy.EagerAsync(1);

        // Past 80 % of the 10 s lifetime: the next hits are due a refresh, which hangs until the gate opens.
        Harness.Time.Advance(TimeSpan.FromSeconds(8.5));
        var gate = new TaskCompletionSource<Stock>(TaskCreationOptions.RunContinuationsAsynchronously);
        var refreshStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Real.EagerAsync(1).Returns(_ =>
        {
            refreshStarted.TrySetResult();
            return gate.Task;
        });

        using var start = new Barrier(100);
        var callers = Enumerable.Range(0, 100).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                return Proxy.EagerAsync(1).GetAwaiter().GetResult();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();

        // Every caller returned the current value while the refresh was still hanging.
        var results = await Task.WhenAll(callers).WaitAsync(Patience);
        Assert.False(gate.Task.IsCompleted);
        Assert.All(results, stock => Assert.Equal(new Stock(1, 1), stock));

        await refreshStarted.Task.WaitAsync(Patience);
        gate.SetResult(new Stock(1, 2));
        await Poll.UntilAsync(async () => (await Proxy.EagerAsync(1)).Count == 2);

        await Real.Received(2).EagerAsync(1);
        await Poll.UntilAsync(() => Task.FromResult(Harness.LockedKeys() == 0));
    }

    [Fact]
    public async Task A_hit_before_the_refresh_point_starts_no_refresh()
    {
        Real.EagerAsync(1).Returns(new Stock(1, 1));
        await Proxy.EagerAsync(1);
        Harness.Time.Advance(TimeSpan.FromSeconds(7.9));

        Assert.Equal(new Stock(1, 1), await Proxy.EagerAsync(1));

        Assert.Equal(0, Harness.CountOf(nameof(IInventory.EagerAsync), CacheCallOutcome.EagerRefresh));
        await Real.Received(1).EagerAsync(1);
    }

    [Fact]
    public async Task The_refreshed_value_gets_a_new_lifetime()
    {
        Real.EagerValueAsync(1).Returns(new ValueTask<Stock>(new Stock(1, 1)), new ValueTask<Stock>(new Stock(1, 2)));
        await Proxy.EagerValueAsync(1);
        Harness.Time.Advance(TimeSpan.FromSeconds(9));

        Assert.Equal(new Stock(1, 1), await Proxy.EagerValueAsync(1));
        await Poll.UntilAsync(async () => (await Proxy.EagerValueAsync(1)).Count == 2);

        // 9 s after the refresh the value is still fresh (the first lifetime would have ended at 10 s).
        Harness.Time.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(new Stock(1, 2), await Proxy.EagerValueAsync(1));
        await Real.Received(2).EagerValueAsync(1);
        Assert.True(Harness.CountOf(nameof(IInventory.EagerValueAsync), CacheCallOutcome.EagerRefresh) >= 1);
    }

    [Fact]
    public async Task A_synchronous_method_is_refreshed_in_the_background_too()
    {
        Real.EagerSync(1).Returns(new Stock(1, 1), new Stock(1, 2));
        Proxy.EagerSync(1);
        Harness.Time.Advance(TimeSpan.FromSeconds(9));

        Assert.Equal(new Stock(1, 1), Proxy.EagerSync(1));
        await Poll.UntilAsync(() => Task.FromResult(Proxy.EagerSync(1).Count == 2));
        Real.Received(2).EagerSync(1);
    }

    [Fact]
    public async Task A_failed_refresh_is_logged_as_a_warning_and_leaves_the_entry_as_it_was()
    {
        Real.EagerAsync(1).Returns(new Stock(1, 1));
        await Proxy.EagerAsync(1);
        Harness.Time.Advance(TimeSpan.FromSeconds(9));
        Real.EagerAsync(1).ThrowsAsync(new InvalidOperationException("refresh failed"));

        Assert.Equal(new Stock(1, 1), await Proxy.EagerAsync(1));
        await Poll.UntilAsync(() => Task.FromResult(Harness.Log.Collector.GetSnapshot().Any(r =>
            r.Level == LogLevel.Warning && r.Exception is InvalidOperationException { Message: "refresh failed" })));

        Assert.Equal(new Stock(1, 1), await Proxy.EagerAsync(1));
        Assert.Equal(1, await Harness.Backend.CountAsync());
    }

    [Fact]
    public async Task A_hit_from_a_flow_that_suppressed_execution_context_flow_still_starts_the_refresh()
    {
        Real.EagerAsync(1).Returns(new Stock(1, 1), new Stock(1, 2));
        await Proxy.EagerAsync(1);
        Harness.Time.Advance(TimeSpan.FromSeconds(9));

        Task<Stock> hit;
        using (ExecutionContext.SuppressFlow())
        {
            hit = Proxy.EagerAsync(1);
        }

        Assert.True(hit.IsCompletedSuccessfully);
        Assert.Equal(new Stock(1, 1), await hit);
        await Poll.UntilAsync(async () => (await Proxy.EagerAsync(1)).Count == 2);
    }
}
