using Cacheweave.Diagnostics;
using Cacheweave.Interception;
using NSubstitute;

namespace Cacheweave.Tests.FailSafe;

public sealed class CacheScopeTests : InventoryTests
{
    [Fact]
    public async Task Bypass_runs_the_method_and_neither_reads_nor_writes_the_cache()
    {
        Real.PlainAsync(1).Returns(new Stock(1, 1), new Stock(1, 2), new Stock(1, 3));
        await Proxy.PlainAsync(1);

        using (CacheScope.Bypass())
        {
            Assert.Equal(new Stock(1, 2), await Proxy.PlainAsync(1));
        }

        Assert.Equal(new Stock(1, 1), await Proxy.PlainAsync(1));
        await Real.Received(2).PlainAsync(1);
        Assert.Equal(1, Harness.CountOf(nameof(IInventory.PlainAsync), CacheCallOutcome.Bypass));
    }

    [Fact]
    public async Task Refresh_runs_the_method_and_overwrites_a_fresh_entry()
    {
        Real.PlainAsync(1).Returns(new Stock(1, 1), new Stock(1, 2));
        await Proxy.PlainAsync(1);

        using (CacheScope.Refresh())
        {
            Assert.Equal(new Stock(1, 2), await Proxy.PlainAsync(1));
        }

        Assert.Equal(new Stock(1, 2), await Proxy.PlainAsync(1));
        await Real.Received(2).PlainAsync(1);
    }

    [Fact]
    public void Scopes_apply_to_synchronous_methods()
    {
        Real.PlainSync(1).Returns(new Stock(1, 1), new Stock(1, 2), new Stock(1, 3));
        Proxy.PlainSync(1);

        using (CacheScope.Bypass())
        {
            Assert.Equal(2, Proxy.PlainSync(1).Count);
        }

        Assert.Equal(1, Proxy.PlainSync(1).Count);
        using (CacheScope.Refresh())
        {
            Assert.Equal(3, Proxy.PlainSync(1).Count);
        }

        Assert.Equal(3, Proxy.PlainSync(1).Count);
    }

    [Fact]
    public async Task Scopes_apply_to_methods_with_lifetime_options()
    {
        Real.StockAsync(1, Arg.Any<CancellationToken>()).Returns(new Stock(1, 1), new Stock(1, 2), new Stock(1, 3));
        await Proxy.StockAsync(1);

        using (CacheScope.Bypass())
        {
            Assert.Equal(2, (await Proxy.StockAsync(1)).Count);
        }

        Assert.Equal(1, (await Proxy.StockAsync(1)).Count);
        using (CacheScope.Refresh())
        {
            Assert.Equal(3, (await Proxy.StockAsync(1)).Count);
        }

        Assert.Equal(3, (await Proxy.StockAsync(1)).Count);
    }

    [Fact]
    public async Task Scopes_flow_through_await_and_into_started_tasks_and_the_inner_one_wins()
    {
        var calls = 0;
        Real.PlainAsync(1).Returns(_ => new Stock(1, Interlocked.Increment(ref calls)));
        await Proxy.PlainAsync(1);

        using (CacheScope.Bypass())
        {
            await Task.Yield();
            Assert.Equal(2, (await Proxy.PlainAsync(1)).Count);
            Assert.Equal(3, (await Task.Run(() => Proxy.PlainAsync(1))).Count);

            using (CacheScope.Refresh())
            {
                await Task.Delay(1);
                Assert.Equal(4, (await Proxy.PlainAsync(1)).Count);
            }

            // The refresh scope ended: the bypass scope around it is back.
            Assert.Equal(5, (await Proxy.PlainAsync(1)).Count);
        }

        Assert.Equal(4, (await Proxy.PlainAsync(1)).Count);
    }

    [Fact]
    public async Task A_scope_does_not_leak_into_other_flows()
    {
        Real.PlainAsync(1).Returns(new Stock(1, 1), new Stock(1, 2));
        await Proxy.PlainAsync(1);
        using var entered = new SemaphoreSlim(0);
        using var leave = new SemaphoreSlim(0);

        var other = Task.Run(async () =>
        {
            using (CacheScope.Bypass())
            {
                entered.Release();
                await leave.WaitAsync();
            }
        });

        await entered.WaitAsync();
        Assert.Equal(1, (await Proxy.PlainAsync(1)).Count);
        leave.Release();
        await other;
        await Real.Received(1).PlainAsync(1);
    }

    [Fact]
    public async Task Disposing_a_scope_twice_restores_the_outer_scope_once()
    {
        Real.PlainAsync(1).Returns(new Stock(1, 1), new Stock(1, 2));
        await Proxy.PlainAsync(1);

        var scope = CacheScope.Bypass();
        scope.Dispose();
        scope.Dispose();

        Assert.Equal(1, (await Proxy.PlainAsync(1)).Count);
    }
}
