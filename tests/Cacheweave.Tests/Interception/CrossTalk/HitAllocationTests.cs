using Cacheweave.Tests.Infrastructure;
using Castle.DynamicProxy;
using Microsoft.Extensions.DependencyInjection;

namespace Cacheweave.Tests.Interception.CrossTalk;

/// <summary>
/// A repeated hit allocates no more than a bare Castle interceptor that hands back a ready-made result: Castle's
/// invocation and argument array, nothing of Cacheweave's.
/// </summary>
public sealed class HitAllocationTests
{
    private const int Calls = 20_000;

    [Fact]
    public void A_repeated_Task_hit_allocates_only_what_Castle_does()
    {
        AssertNoExtraAllocation(s => s.IntTaskAsync(5), Task.FromResult(Expected.Square(5)));
    }

    [Fact]
    public void A_repeated_ValueTask_hit_allocates_only_what_Castle_does()
    {
        AssertNoExtraAllocation(s => s.PairValueTaskAsync(5), new ValueTask<Pair>(Expected.Pair(5)));
    }

    [Fact]
    public void A_repeated_synchronous_value_type_hit_allocates_only_what_Castle_does()
    {
        AssertNoExtraAllocation(s => s.LongSync(5), Expected.Wide(5));
    }

    private static void AssertNoExtraAllocation(Func<IShapeService, object> call, object readyResult)
    {
        var services = new ServiceCollection();
        services.AddCachedProxy<IShapeService, ShapeService>();
        using var provider = services.BuildServiceProvider();
        var cached = provider.GetRequiredService<IShapeService>();
        var bare = new ProxyGenerator().CreateInterfaceProxyWithTarget<IShapeService>(new ShapeService(), new ReturnsReadyResult(readyResult));

        var cachedBytes = BytesPerCall(cached, call);
        var bareBytes = BytesPerCall(bare, call);

        // Any allocation per hit costs at least one object header (24 bytes); the one-byte margin absorbs a one-off
        // allocation of the runtime spread over the measured calls.
        Assert.True(cachedBytes <= bareBytes + 1, $"A cached hit allocates {cachedBytes:F1} bytes per call; a bare interceptor {bareBytes:F1}.");
    }

    private static double BytesPerCall(IShapeService proxy, Func<IShapeService, object> call)
    {
        // The first call is the miss; it must have finished (and stored its result) before anything is measured, or
        // every measured call would be a waiter on that one run, not a hit.
        for (var i = 0; i < 1_000; i++)
        {
            Settle(call(proxy));
        }

        var pending = 0;
        var bytes = Allocations.MinBytesPerCall(
            () =>
            {
                if (!IsCompleted(call(proxy)))
                {
                    pending++;
                }
            },
            Calls);
        Assert.True(pending == 0, $"{pending} measured calls were not completed hits.");
        return bytes;
    }

    // Waits for a call's result; a boxed ValueTask<T> is not a Task, so each return shape is named.
    private static void Settle(object result)
    {
        switch (result)
        {
            case Task task:
                task.GetAwaiter().GetResult();
                break;
            case ValueTask<Pair> valueTask:
                valueTask.AsTask().GetAwaiter().GetResult();
                break;
        }
    }

    private static bool IsCompleted(object result) => result switch
    {
        Task task => task.IsCompletedSuccessfully,
        ValueTask<Pair> valueTask => valueTask.IsCompletedSuccessfully,
        _ => true,
    };
}
