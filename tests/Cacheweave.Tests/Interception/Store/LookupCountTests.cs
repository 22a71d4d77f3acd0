using Cacheweave.Backends;
using NSubstitute;

namespace Cacheweave.Tests.Interception.Store;

/// <summary>
/// On a backend that answers asynchronously (a remote tier), a miss looks the key up once, unless the caller had to
/// wait for another caller of the key or another caller held and released it while the lookup was in flight.
/// </summary>
public sealed class LookupCountTests : IDisposable
{
    private readonly LruBackend _inner = new(100);
    private readonly ICacheBackend _backend = Substitute.For<ICacheBackend>();
    private readonly GuardedProxy _guarded;
    private readonly System.Collections.Concurrent.ConcurrentQueue<TaskCompletionSource> _lookupGates = new();

    public LookupCountTests()
    {
        _backend.GetAsync<int>(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(ci => RemoteGetAsync(ci.ArgAt<string>(0)));
        _backend.PutAsync(Arg.Any<string>(), Arg.Any<int>(), Arg.Any<CacheEntryOptions?>(), Arg.Any<CancellationToken>())
            .Returns(ci => _inner.PutAsync(ci.ArgAt<string>(0), ci.ArgAt<int>(1), ci.ArgAt<CacheEntryOptions?>(2)));
        _guarded = new GuardedProxy(_backend);
    }

    private int Lookups => _backend.ReceivedCalls().Count(c => c.GetMethodInfo().Name == nameof(ICacheBackend.GetAsync));

    public void Dispose()
    {
        _guarded.Dispose();
        _inner.Dispose();
    }

    [Fact]
    public async Task An_uncontended_Task_miss_on_a_remote_backend_looks_the_key_up_once()
    {
        Assert.Equal(10, await Remotely(() => _guarded.Proxy.TaskAsync(1)));
        Assert.Equal(1, Lookups);
        Assert.Equal(10, await _guarded.Proxy.TaskAsync(1));
        Assert.Equal(2, Lookups);
        await _guarded.Real.Received(1).TaskAsync(1);
    }

    [Fact]
    public async Task An_uncontended_ValueTask_miss_on_a_remote_backend_looks_the_key_up_once()
    {
        Assert.Equal(20, await Remotely(() => _guarded.Proxy.ValueAsync(2).AsTask()));
        Assert.Equal(1, Lookups);
    }

    [Fact]
    public void A_miss_on_a_backend_that_answers_synchronously_looks_again_under_the_lock()
    {
        Assert.Equal(30, _guarded.Proxy.Sync(3));
        Assert.Equal(2, Lookups);
        _guarded.Real.Received(1).Sync(3);
    }

    [Fact]
    public async Task A_caller_whose_lookup_raced_a_whole_run_of_the_key_looks_again_and_finds_the_value()
    {
        // The first caller's lookup reads a miss, then is held back while a second caller runs, stores and releases.
        var firstGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _lookupGates.Enqueue(firstGate);
        var first = _guarded.Proxy.TaskAsync(7);
        Assert.Equal(70, await Remotely(() => _guarded.Proxy.TaskAsync(7)));
        firstGate.SetResult();

        Assert.Equal(70, await first);
        await _guarded.Real.Received(1).TaskAsync(7);
        Assert.Equal(3, Lookups);
    }

    [Fact]
    public async Task A_caller_that_waited_for_the_key_looks_again_and_finds_the_value()
    {
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _guarded.Real.TaskAsync(4).Returns(gate.Task);

        var holder = Remotely(() => _guarded.Proxy.TaskAsync(4));
        var waiter = Remotely(() => _guarded.Proxy.TaskAsync(4));
        gate.SetResult(40);

        Assert.Equal(40, await holder);
        Assert.Equal(40, await waiter);
        await _guarded.Real.Received(1).TaskAsync(4);
        Assert.Equal(3, Lookups);
    }

    // Starts the call with its lookup held back until the proxy has returned, as a remote tier's would be, then lets it finish.
    private Task<T> Remotely<T>(Func<Task<T>> call)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _lookupGates.Enqueue(gate);
        var pending = call();
        gate.SetResult();
        return pending;
    }

    // A lookup with a gate queued completes when the gate opens; without one it completes synchronously, as in memory.
    private async ValueTask<CacheResult<int>> RemoteGetAsync(string key)
    {
        var found = await _inner.GetAsync<int>(key);
        if (_lookupGates.TryDequeue(out var gate))
        {
            await gate.Task;
        }

        return found;
    }
}
