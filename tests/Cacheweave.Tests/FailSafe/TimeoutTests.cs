using Cacheweave.Diagnostics;
using Cacheweave.Tests.Infrastructure;
using NSubstitute;

namespace Cacheweave.Tests.FailSafe;

/// <summary>Soft and hard timeouts, measured on the container's fake clock.</summary>
public sealed class TimeoutTests : InventoryTests
{
    [Fact]
    public async Task Soft_timeout_returns_the_stale_value_at_its_bound_and_the_late_result_refreshes_the_entry()
    {
        Real.SoftAsync(1).Returns(new Stock(1, 1));
        await Proxy.SoftAsync(1);
        Harness.Time.Advance(TimeSpan.FromSeconds(11));
        var slow = new TaskCompletionSource<Stock>(TaskCreationOptions.RunContinuationsAsynchronously);
        Real.SoftAsync(1).Returns(slow.Task);

        var call = Proxy.SoftAsync(1);
        Harness.Time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(call.IsCompleted);
        Harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(new Stock(1, 1), await call.WaitAsync(Patience));
        Assert.Equal(1, Harness.CountOf(nameof(IInventory.SoftAsync), CacheCallOutcome.StaleServed));

        slow.SetResult(new Stock(1, 2));
        await Poll.UntilAsync(async () => (await Proxy.SoftAsync(1)).Count == 2);
        await Real.Received(2).SoftAsync(1);
    }

    [Fact]
    public async Task A_caller_waiting_for_another_callers_run_gets_the_stale_value_at_the_soft_bound_too()
    {
        Real.SoftAsync(1).Returns(new Stock(1, 1));
        await Proxy.SoftAsync(1);
        Harness.Time.Advance(TimeSpan.FromSeconds(11));
        var slow = new TaskCompletionSource<Stock>(TaskCreationOptions.RunContinuationsAsynchronously);
        Real.SoftAsync(1).Returns(slow.Task);

        var runner = Proxy.SoftAsync(1);
        var waiter = Proxy.SoftAsync(1);
        Harness.Time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal(new Stock(1, 1), await runner.WaitAsync(Patience));
        Assert.Equal(new Stock(1, 1), await waiter.WaitAsync(Patience));
        Assert.False(slow.Task.IsCompleted);
        Assert.Equal(2, Harness.CountOf(nameof(IInventory.SoftAsync), CacheCallOutcome.StaleServed));
        await Real.Received(2).SoftAsync(1);
        slow.SetResult(new Stock(1, 2));
    }

    [Fact]
    public async Task A_caller_waiting_for_another_callers_run_gets_a_TimeoutException_at_the_hard_bound_too()
    {
        var slow = new TaskCompletionSource<Stock>(TaskCreationOptions.RunContinuationsAsynchronously);
        Real.HardAsync(1).Returns(slow.Task);

        var runner = Proxy.HardAsync(1);
        var waiter = Proxy.HardAsync(1);
        Harness.Time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(waiter.IsCompleted);
        Harness.Time.Advance(TimeSpan.FromMilliseconds(1));

        // Both stop at the bound while the method still runs (a hung waiter would be caught by the real-time guard).
        await Task.WhenAny(Task.WhenAll(runner, waiter), Task.Delay(Patience));
        Assert.True(waiter.IsCompleted, "The waiter was still waiting for the other caller's run after the hard timeout.");
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => waiter);
        Assert.Contains("another caller's run", timeout.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<TimeoutException>(() => runner);
        await Real.Received(1).HardAsync(1);
        slow.SetResult(new Stock(1, 1));
    }

    [Fact]
    public async Task Soft_timeout_does_not_apply_without_a_stale_value()
    {
        var slow = new TaskCompletionSource<Stock>(TaskCreationOptions.RunContinuationsAsynchronously);
        Real.SoftAsync(1).Returns(slow.Task);

        var call = Proxy.SoftAsync(1);
        Harness.Time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.False(call.IsCompleted);

        slow.SetResult(new Stock(1, 1));
        Assert.Equal(new Stock(1, 1), await call.WaitAsync(Patience));
    }

    [Fact]
    public async Task Hard_timeout_throws_TimeoutException_at_its_bound_when_there_is_no_stale_value()
    {
        var slow = new TaskCompletionSource<Stock>(TaskCreationOptions.RunContinuationsAsynchronously);
        Real.HardAsync(1).Returns(slow.Task);

        var call = Proxy.HardAsync(1);
        Harness.Time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(call.IsCompleted);
        Harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => call.WaitAsync(Patience));
        Assert.Contains(nameof(IInventory.HardAsync), timeout.Message, StringComparison.Ordinal);

        // The method goes on and fills the entry when it completes.
        slow.SetResult(new Stock(1, 7));
        await Poll.UntilAsync(async () => await Harness.Backend.CountAsync() == 1);
        Assert.Equal(new Stock(1, 7), await Proxy.HardAsync(1));
        await Real.Received(1).HardAsync(1);
    }

    [Fact]
    public async Task Hard_timeout_serves_the_stale_value_at_its_bound_when_there_is_one()
    {
        Real.HardWithFailSafeAsync(1).Returns(new ValueTask<Stock>(new Stock(1, 1)));
        await Proxy.HardWithFailSafeAsync(1);
        Harness.Time.Advance(TimeSpan.FromSeconds(11));
        var slow = new TaskCompletionSource<Stock>(TaskCreationOptions.RunContinuationsAsynchronously);
        Real.HardWithFailSafeAsync(1).Returns(new ValueTask<Stock>(slow.Task));

        var call = Proxy.HardWithFailSafeAsync(1).AsTask();
        Harness.Time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(call.IsCompleted);
        Harness.Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(new Stock(1, 1), await call.WaitAsync(Patience));
        Assert.Equal(1, Harness.CountOf(nameof(IInventory.HardWithFailSafeAsync), CacheCallOutcome.FailSafe));
        slow.SetResult(new Stock(1, 2));
    }

    [Fact]
    public async Task Hard_timeout_bounds_a_synchronous_method_too()
    {
        using var release = new ManualResetEventSlim();
        Real.HardSync(1).Returns(_ =>
        {
            release.Wait(Patience);
            return new Stock(1, 1);
        });

        var started = Harness.Time.GetUtcNow();
        var call = Task.Run(() => Proxy.HardSync(1));

        // The caller's thread registers its timer on the fake clock at some point after it starts: step the clock
        // until the caller gives up, then check it did not give up before its bound.
        while (!call.IsCompleted)
        {
            Harness.Time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.WhenAny(call, Task.Delay(10)); // polling for the caller's thread, not waiting for cache time
            Assert.True(Harness.Time.GetUtcNow() - started < Patience, "The caller did not give up.");
        }

        await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.True(Harness.Time.GetUtcNow() - started >= TimeSpan.FromMilliseconds(1000));
        release.Set();
    }
}
