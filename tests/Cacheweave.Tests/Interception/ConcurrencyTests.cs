using System.Runtime.CompilerServices;
using NSubstitute;

namespace Cacheweave.Tests.Interception;

/// <summary>One caller per key runs the method; the others wait for its result.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private readonly ProxyHarness<IUserService> _harness = new();

    private IUserService Real => _harness.Real;

    private IUserService Proxy => _harness.Proxy;

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task A_thousand_concurrent_callers_of_one_key_run_the_method_once()
    {
        const int callers = 1_000;
        var gate = new TaskCompletionSource<User?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Real.FindAsync(7, Arg.Any<CancellationToken>()).Returns(gate.Task);
        using var inFlight = new CountdownEvent(callers);

        var calls = Enumerable.Range(0, callers).Select(_ => Task.Run(() =>
        {
            var call = Proxy.FindAsync(7);
            inFlight.Signal();
            return call;
        })).ToArray();
        await Task.Run(() => inFlight.Wait());

        // Every call is in flight and none can have found a cached value: they all contend for the key.
        gate.SetResult(new User(7, "Grace"));
        var results = await Task.WhenAll(calls);

        Assert.All(results, result => Assert.Same(results[0], result));
        Assert.Equal(new User(7, "Grace"), results[0]);
        await Real.Received(1).FindAsync(7, Arg.Any<CancellationToken>());
        Assert.Equal(0, _harness.LockedKeys);
    }

    [Fact]
    public async Task A_thousand_concurrent_ValueTask_callers_of_one_key_run_the_method_once()
    {
        const int callers = 1_000;
        var gate = new TaskCompletionSource<User?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Real.FindValueAsync(7, Arg.Any<CancellationToken>()).Returns(new ValueTask<User?>(gate.Task));
        using var inFlight = new CountdownEvent(callers);

        var calls = Enumerable.Range(0, callers).Select(_ => Task.Run(() =>
        {
            var call = Proxy.FindValueAsync(7).AsTask();
            inFlight.Signal();
            return call;
        })).ToArray();
        await Task.Run(() => inFlight.Wait());
        gate.SetResult(new User(7, "Grace"));
        var results = await Task.WhenAll(calls);

        Assert.All(results, result => Assert.Same(results[0], result));
        await Real.Received(1).FindValueAsync(7, Arg.Any<CancellationToken>());
        Assert.Equal(0, _harness.LockedKeys);
    }

    [Fact]
    public async Task A_hundred_keys_with_fifty_callers_each_run_the_method_once_per_key()
    {
        const int keys = 100;
        const int callersPerKey = 50;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Real.FindAsync(Arg.Any<int>(), Arg.Any<CancellationToken>()).Returns(ci => LoadAfter(gate.Task, ci.Arg<int>()));
        using var inFlight = new CountdownEvent(keys * callersPerKey);

        var calls = Enumerable.Range(0, keys * callersPerKey).Select(i => Task.Run(async () =>
        {
            var id = i % keys;
            var call = Proxy.FindAsync(id);
            inFlight.Signal();
            return (id, user: await call);
        })).ToArray();
        await Task.Run(() => inFlight.Wait());
        gate.SetResult();
        var results = await Task.WhenAll(calls);

        Assert.All(results, r => Assert.Equal(r.id, r.user!.Id));
        Assert.Equal(keys, Real.ReceivedCalls().Count());
        for (var id = 0; id < keys; id++)
        {
            await Real.Received(1).FindAsync(id, Arg.Any<CancellationToken>());
        }

        Assert.Equal(0, _harness.LockedKeys);
    }

    [Fact]
    public void Concurrent_synchronous_callers_of_one_key_run_the_method_once()
    {
        const int threads = 16;
        using var gate = new ManualResetEventSlim();
        using var started = new CountdownEvent(threads);
        Real.CountByName("ada").Returns(_ =>
        {
            gate.Wait();
            return 42;
        });

        var results = new int[threads];
        var workers = Enumerable.Range(0, threads).Select(i => new Thread(() =>
        {
            started.Signal();
            results[i] = Proxy.CountByName("ada");
        })).ToArray();
        foreach (var worker in workers)
        {
            worker.Start();
        }

        started.Wait();
        gate.Set();
        foreach (var worker in workers)
        {
            worker.Join();
        }

        Assert.All(results, r => Assert.Equal(42, r));
        Real.Received(1).CountByName("ada");
        Assert.Equal(0, _harness.LockedKeys);
    }

    [Fact]
    public async Task Cancelling_a_waiter_ends_only_its_own_wait()
    {
        var gate = new TaskCompletionSource<User?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Real.FindAsync(1, Arg.Any<CancellationToken>()).Returns(gate.Task);
        using var cts = new CancellationTokenSource();

        var runner = Proxy.FindAsync(1);
        var impatient = Proxy.FindAsync(1, cts.Token);
        var patient = Proxy.FindAsync(1);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        Assert.False(runner.IsCompleted);
        Assert.False(patient.IsCompleted);

        gate.SetResult(new User(1, "Ada"));
        Assert.Equal(new User(1, "Ada"), await runner);
        Assert.Equal(new User(1, "Ada"), await patient);
        await Real.Received(1).FindAsync(1, Arg.Any<CancellationToken>());
        Assert.Equal(0, _harness.LockedKeys);
    }

    [Fact]
    public async Task When_the_running_call_fails_the_next_waiter_runs_the_method()
    {
        var gate = new TaskCompletionSource<User?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Real.FindAsync(1, Arg.Any<CancellationToken>()).Returns(gate.Task, Task.FromResult<User?>(new User(1, "Ada")));

        var runner = Proxy.FindAsync(1);
        var waiter = Proxy.FindAsync(1);
        gate.SetException(new TimeoutException("database timeout"));

        await Assert.ThrowsAsync<TimeoutException>(() => runner);
        Assert.Equal(new User(1, "Ada"), await waiter);
        await Real.Received(2).FindAsync(1, Arg.Any<CancellationToken>());
        Assert.Equal(0, _harness.LockedKeys);
    }

    [Fact]
    public async Task Different_keys_never_wait_on_each_other()
    {
        var gate = new TaskCompletionSource<User?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Real.FindAsync(1, Arg.Any<CancellationToken>()).Returns(gate.Task);
        Real.FindAsync(2, Arg.Any<CancellationToken>()).Returns(new User(2, "Bob"));

        var slow = Proxy.FindAsync(1);
        var fast = Proxy.FindAsync(2);

        Assert.True(fast.IsCompletedSuccessfully);
        Assert.Equal(new User(2, "Bob"), await fast);
        Assert.False(slow.IsCompleted);
        gate.SetResult(new User(1, "Ada"));
        Assert.Equal(new User(1, "Ada"), await slow);
    }

    [Fact]
    public async Task Lock_table_is_empty_after_many_concurrent_keys()
    {
        Real.FindAsync(Arg.Any<int>(), Arg.Any<CancellationToken>()).Returns(ci => LoadAfter(Task.Yield(), ci.Arg<int>()));

        await Task.WhenAll(Enumerable.Range(0, 2_000).Select(i => Task.Run(() => Proxy.FindAsync(i % 300))));

        Assert.Equal(0, _harness.LockedKeys);
        Assert.Equal(300, Real.ReceivedCalls().Count());
    }

    private static async Task<User?> LoadAfter(Task gate, int id)
    {
        await gate;
        return new User(id, "user " + id);
    }

    private static async Task<User?> LoadAfter(YieldAwaitable yield, int id)
    {
        await yield;
        return new User(id, "user " + id);
    }
}
