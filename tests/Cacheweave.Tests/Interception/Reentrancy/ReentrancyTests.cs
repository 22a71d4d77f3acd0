using Cacheweave.Interception;
using Microsoft.Extensions.DependencyInjection;

namespace Cacheweave.Tests.Interception.Reentrancy;

/// <summary>A cached call that re-enters its own key fails at once; a wait for a key can be bounded.</summary>
public sealed class ReentrancyTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly RecursiveService _real = new();
    private readonly ServiceProvider _provider;

    public ReentrancyTests()
    {
        _provider = new ServiceCollection().AddSingleton<IRecursiveService>(_real).AddCachedProxy<IRecursiveService>().BuildServiceProvider();
        _real.Proxy = Proxy;
    }

    private IRecursiveService Proxy => _provider.GetRequiredService<IRecursiveService>();

    private int LockedKeys => _provider.GetRequiredService<KeyedLock>().Count;

    public void Dispose()
    {
        _provider.Dispose();
        _real.Gate.Dispose();
    }

    [Fact]
    public async Task A_Task_call_that_re_enters_its_own_key_fails_at_once_naming_the_method()
    {
        _real.SelfCalls = 1;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Proxy.DepthAsync(3).WaitAsync(Patience));

        Assert.Contains(nameof(IRecursiveService.DepthAsync), error.Message, StringComparison.Ordinal);
        Assert.Equal(0, LockedKeys);
    }

    [Fact]
    public async Task After_a_re_entrant_failure_other_keys_and_later_callers_of_the_same_key_are_served()
    {
        _real.SelfCalls = 1;
        await Assert.ThrowsAsync<InvalidOperationException>(() => Proxy.DepthAsync(3).WaitAsync(Patience));

        // 3 calls 2, 1 and 0 through the proxy: other keys of the same method, nested, keep working.
        Assert.Equal(3, await Proxy.DepthAsync(3).WaitAsync(Patience));
        Assert.Equal(3, await Proxy.DepthAsync(3).WaitAsync(Patience));
        Assert.Equal(0, LockedKeys);
    }

    [Fact]
    public void A_synchronous_call_that_re_enters_its_own_key_fails_at_once_on_a_real_thread()
    {
        _real.SelfCalls = 1;
        Exception? error = null;
        var thread = new Thread(() => error = Record.Exception(() => Proxy.Depth(2)));

        thread.Start();

        Assert.True(thread.Join(Patience), "The re-entrant synchronous call hung.");
        Assert.Contains(nameof(IRecursiveService.Depth), Assert.IsType<InvalidOperationException>(error).Message, StringComparison.Ordinal);
        Assert.Equal(2, Proxy.Depth(2));
        Assert.Equal(0, LockedKeys);
    }

    [Fact]
    public void Eight_threads_re_entering_one_key_each_fail_and_none_hangs()
    {
        const int threads = 8;
        _real.SelfCalls = threads;
        var errors = new Exception?[threads];
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            errors[i] = Record.Exception(() => Proxy.Depth(4));
        })).ToArray();

        foreach (var worker in workers)
        {
            worker.Start();
        }

        Assert.All(workers, worker => Assert.True(worker.Join(Patience), "A caller hung."));
        Assert.All(errors, error => Assert.IsType<InvalidOperationException>(error));
        Assert.Equal(4, Proxy.Depth(4));
        Assert.Equal(0, LockedKeys);
    }

    [Fact]
    public async Task A_waiter_whose_lock_timeout_passes_runs_the_method_itself()
    {
        var holder = Proxy.SlowAsync(1);
        var waiter = Proxy.SlowAsync(1);

        Assert.Equal(10, await waiter.WaitAsync(Patience));
        Assert.False(holder.IsCompleted);
        _real.Gate.Set();
        Assert.Equal(10, await holder.WaitAsync(Patience));

        Assert.Equal(2, _real.SlowCalls);
        Assert.Equal(1, PlanOf(nameof(IRecursiveService.SlowAsync)).LockTimeoutCount);
        Assert.Equal(0, LockedKeys);
    }

    [Fact]
    public void A_synchronous_waiter_on_another_thread_stops_waiting_at_its_lock_timeout()
    {
        var holderResult = 0;
        var waiterResult = 0;
        var holder = new Thread(() => holderResult = Proxy.Slow(2));
        holder.Start();
        Assert.True(SpinWait.SpinUntil(() => _real.SlowCalls == 1, Patience), "The holder never ran.");

        var waiter = new Thread(() => waiterResult = Proxy.Slow(2));
        waiter.Start();

        Assert.True(waiter.Join(Patience), "The waiter did not stop waiting.");
        Assert.True(holder.IsAlive);
        _real.Gate.Set();
        Assert.True(holder.Join(Patience));
        Assert.Equal(20, waiterResult);
        Assert.Equal(20, holderResult);
        Assert.Equal(2, _real.SlowCalls);
        Assert.Equal(1, PlanOf(nameof(IRecursiveService.Slow)).LockTimeoutCount);
    }

    private CachedMethodPlan PlanOf(string method) =>
        (CachedMethodPlan)_provider.GetRequiredKeyedService<CachingInterceptor>(typeof(IRecursiveService))
            .PlanFor(typeof(IRecursiveService).GetMethod(method)!);
}
