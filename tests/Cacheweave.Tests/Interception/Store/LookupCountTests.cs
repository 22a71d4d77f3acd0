using Cacheweave.Backends;
using NSubstitute;

namespace Cacheweave.Tests.Interception.Store;

/// <summary>A miss looks the key up once unless the caller had to wait for another caller of the key.</summary>
public sealed class LookupCountTests : IDisposable
{
    private readonly LruBackend _inner = new(100);
    private readonly ICacheBackend _backend = Substitute.For<ICacheBackend>();
    private readonly GuardedProxy _guarded;

    public LookupCountTests()
    {
        _backend.GetAsync<int>(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(ci => _inner.GetAsync<int>(ci.ArgAt<string>(0)));
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
    public async Task An_uncontended_Task_miss_looks_the_key_up_once()
    {
        Assert.Equal(10, await _guarded.Proxy.TaskAsync(1));
        Assert.Equal(1, Lookups);
        Assert.Equal(10, await _guarded.Proxy.TaskAsync(1));
        Assert.Equal(2, Lookups);
        await _guarded.Real.Received(1).TaskAsync(1);
    }

    [Fact]
    public async Task An_uncontended_ValueTask_miss_looks_the_key_up_once()
    {
        Assert.Equal(20, await _guarded.Proxy.ValueAsync(2));
        Assert.Equal(1, Lookups);
    }

    [Fact]
    public void An_uncontended_synchronous_miss_looks_the_key_up_once()
    {
        Assert.Equal(30, _guarded.Proxy.Sync(3));
        Assert.Equal(1, Lookups);
    }

    [Fact]
    public async Task A_caller_that_waited_for_the_key_looks_again_and_finds_the_value()
    {
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _guarded.Real.TaskAsync(4).Returns(gate.Task);

        var holder = _guarded.Proxy.TaskAsync(4);
        var waiter = _guarded.Proxy.TaskAsync(4);
        gate.SetResult(40);

        Assert.Equal(40, await holder);
        Assert.Equal(40, await waiter);
        await _guarded.Real.Received(1).TaskAsync(4);
        Assert.Equal(3, Lookups);
    }
}
