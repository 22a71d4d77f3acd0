using NSubstitute;

namespace Cacheweave.Tests.FailSafe;

/// <summary>Jitter, <c>Unless</c> and <c>NullTtlSeconds</c>.</summary>
public sealed class LifetimeOptionsTests : InventoryTests
{
    private const int Entries = 60;

    [Fact]
    public async Task Jitter_spreads_the_expiries_of_entries_written_together_over_the_jitter_window()
    {
        Real.JitteredAsync(Arg.Any<int>()).Returns(call => new Stock(call.Arg<int>(), 1));
        for (var id = 0; id < Entries; id++)
        {
            await Proxy.JitteredAsync(id);
        }

        // None expires before the time to live (10 s), some but not all within half the jitter window (5 s), and all
        // by its end.
        Harness.Time.Advance(TimeSpan.FromSeconds(9.99));
        Assert.Equal(0, await RerunsAfterCallingAllAsync());

        Harness.Time.Advance(TimeSpan.FromSeconds(2.51));
        var early = await RerunsAfterCallingAllAsync();
        Assert.InRange(early, 1, Entries - 1);

        Harness.Time.Advance(TimeSpan.FromSeconds(2.5));
        var late = await RerunsAfterCallingAllAsync();
        Assert.Equal(Entries - early, late);
    }

    [Fact]
    public async Task Unless_predicate_on_the_interface_keeps_matching_results_out_of_the_cache()
    {
        Real.NamesAsync(1).Returns(_ => new List<string>());
        Real.NamesAsync(2).Returns(_ => new List<string> { "bolt" });

        Assert.Empty(await Proxy.NamesAsync(1));
        Assert.Empty(await Proxy.NamesAsync(1));
        Assert.Equal(["bolt"], await Proxy.NamesAsync(2));
        Assert.Equal(["bolt"], await Proxy.NamesAsync(2));

        await Real.Received(2).NamesAsync(1);
        await Real.Received(1).NamesAsync(2);
    }

    [Fact]
    public void Unless_condition_type_keeps_matching_results_out_of_the_cache()
    {
        Real.Checked(1).Returns(new Stock(1, -1));
        Real.Checked(2).Returns(new Stock(2, 3));

        Assert.Equal(-1, Proxy.Checked(1).Count);
        Assert.Equal(-1, Proxy.Checked(1).Count);
        Assert.Equal(3, Proxy.Checked(2).Count);
        Assert.Equal(3, Proxy.Checked(2).Count);

        Real.Received(2).Checked(1);
        Real.Received(1).Checked(2);
    }

    [Fact]
    public async Task NullTtlSeconds_gives_cached_nulls_their_own_shorter_lifetime()
    {
        Real.FindAsync(1).Returns((Stock?)null);
        Real.FindAsync(2).Returns(new Stock(2, 3));
        Assert.Null(await Proxy.FindAsync(1));
        Assert.NotNull(await Proxy.FindAsync(2));

        Harness.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Null(await Proxy.FindAsync(1));
        await Real.Received(1).FindAsync(1);

        Harness.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await Proxy.FindAsync(1));
        Assert.NotNull(await Proxy.FindAsync(2));
        await Real.Received(2).FindAsync(1);
        await Real.Received(1).FindAsync(2);
    }

    private async Task<int> RerunsAfterCallingAllAsync()
    {
        var before = Real.ReceivedCalls().Count();
        for (var id = 0; id < Entries; id++)
        {
            await Proxy.JitteredAsync(id);
        }

        return Real.ReceivedCalls().Count() - before;
    }
}
