using Cacheweave.Tests.Infrastructure;
using Cacheweave.Tests.Interception.CrossTalk;
using Castle.DynamicProxy;
using NSubstitute;

namespace Cacheweave.Tests.FailSafe;

/// <summary>A fresh hit of a method with lifetime options allocates no more than a bare Castle interceptor: the envelope is read, not copied.</summary>
public sealed class FailSafeHitAllocationTests
{
    private const int Calls = 20_000;

    [Fact]
    public async Task A_repeated_fresh_hit_with_fail_safe_and_eager_refresh_allocates_only_what_Castle_does()
    {
        using var harness = new InventoryHarness();
        harness.Real.EagerAsync(5).Returns(new Stock(5, 1));
        await harness.Proxy.EagerAsync(5);
        var bare = new ProxyGenerator().CreateInterfaceProxyWithTarget(harness.Real, new ReturnsReadyResult(Task.FromResult(new Stock(5, 1))));

        var cachedBytes = BytesPerCall(harness.Proxy);
        var bareBytes = BytesPerCall(bare);

        Assert.True(cachedBytes <= bareBytes + 1, $"A fail-safe hit allocates {cachedBytes:F1} bytes per call; a bare interceptor {bareBytes:F1}.");
    }

    private static double BytesPerCall(IInventory proxy)
    {
        for (var i = 0; i < 1_000; i++)
        {
            GC.KeepAlive(proxy.EagerAsync(5));
        }

        return Allocations.MinBytesPerCall(() => GC.KeepAlive(proxy.EagerAsync(5)), Calls);
    }
}
