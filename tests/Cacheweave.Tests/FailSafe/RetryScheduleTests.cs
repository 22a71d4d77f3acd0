using Cacheweave.Diagnostics;
using Cacheweave.Interception;
using Cacheweave.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace Cacheweave.Tests.FailSafe;

/// <summary>
/// After a failed run, the method is not run again for a while: the fail-safe throttle keeps serving the stale value,
/// and a failed eager refresh is not started again on every hit. Neither may bring back an entry that was
/// invalidated meanwhile.
/// </summary>
public sealed class RetryScheduleTests : InventoryTests
{
    private ICacheInvalidator Invalidator => Harness.Provider.GetRequiredService<ICacheInvalidator>();

    [Fact]
    public async Task An_entry_invalidated_while_a_throttled_run_fails_is_not_served_again()
    {
        Real.ThrottledAsync(1).Returns(new Stock(1, 5));
        await Proxy.ThrottledAsync(1);
        Harness.Time.Advance(TimeSpan.FromSeconds(11));

        // The run after expiry hangs; the entry is invalidated while it does; then the run fails.
        var failing = new TaskCompletionSource<Stock>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Real.ThrottledAsync(1).Returns(_ =>
        {
            started.TrySetResult();
            return failing.Task;
        });
        var caller = Proxy.ThrottledAsync(1);
        await started.Task.WaitAsync(Patience);
        Assert.True(await Invalidator.InvalidateAsync<IInventory>(s => s.ThrottledAsync(1)));
        failing.SetException(new InvalidOperationException("inventory down"));

        // The caller asked before the invalidation and may get the stale value; nobody after it may.
        Assert.Equal(new Stock(1, 5), await caller.WaitAsync(Patience));
        Real.ThrottledAsync(1).Returns(new Stock(1, 9));
        Assert.Equal(new Stock(1, 9), await Proxy.ThrottledAsync(1));
        Assert.Equal(0, Harness.CountOf(nameof(IInventory.ThrottledAsync), CacheCallOutcome.StaleServed));
    }

    [Fact]
    public async Task After_a_failed_eager_refresh_the_next_starts_only_once_the_retry_delay_has_passed()
    {
        Real.EagerAsync(1).Returns(new Stock(1, 1));
        await Proxy.EagerAsync(1);
        Harness.Time.Advance(TimeSpan.FromSeconds(8.2));
        Real.EagerAsync(1).ThrowsAsync(new InvalidOperationException("refresh failed"));

        Assert.Equal(new Stock(1, 1), await Proxy.EagerAsync(1));
        await Poll.UntilAsync(() => FailedRefreshes() == 1);

        // Within the retry delay (a tenth of the 10 s lifetime), due hits start no new run.
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(new Stock(1, 1), await Proxy.EagerAsync(1));
        }

        Harness.Time.Advance(TimeSpan.FromSeconds(0.9));
        Assert.Equal(new Stock(1, 1), await Proxy.EagerAsync(1));
        await Real.Received(2).EagerAsync(1);

        // Past it, the next due hit tries again.
        Harness.Time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(new Stock(1, 1), await Proxy.EagerAsync(1));
        await Poll.UntilAsync(() => FailedRefreshes() == 2);
        await Real.Received(3).EagerAsync(1);
    }

    [Fact]
    public async Task A_successful_refresh_clears_the_retry_delay()
    {
        Real.EagerAsync(1).Returns(new Stock(1, 1));
        await Proxy.EagerAsync(1);
        Harness.Time.Advance(TimeSpan.FromSeconds(8.2));
        Real.EagerAsync(1).ThrowsAsync(new InvalidOperationException("refresh failed"));
        await Proxy.EagerAsync(1);
        await Poll.UntilAsync(() => FailedRefreshes() == 1);

        // The entry is written anew (a miss after invalidation), and its own refresh point is not held back.
        await Invalidator.InvalidateAsync<IInventory>(s => s.EagerAsync(1));
        Real.EagerAsync(1).Returns(new Stock(1, 2), new Stock(1, 3));
        Assert.Equal(new Stock(1, 2), await Proxy.EagerAsync(1));
        Harness.Time.Advance(TimeSpan.FromSeconds(8.2));

        Assert.Equal(new Stock(1, 2), await Proxy.EagerAsync(1));
        await Poll.UntilAsync(async () => (await Proxy.EagerAsync(1)).Count == 3);
    }

    private int FailedRefreshes() => Harness.Log.Collector.GetSnapshot().Count(r =>
        r.Level == LogLevel.Warning && r.Exception is InvalidOperationException { Message: "refresh failed" });
}
