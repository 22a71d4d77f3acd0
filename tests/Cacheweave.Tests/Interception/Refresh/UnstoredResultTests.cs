using Cacheweave.Backends;
using Cacheweave.Interception;
using Cacheweave.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Interception.Refresh;

/// <summary>
/// A run whose result is not stored (a null not cached, <c>Unless</c>, too large for the budget) removes the entry it
/// was to replace: after a refresh, or after a stale or eagerly refreshed entry, no later call gets the older value.
/// </summary>
public sealed class UnstoredResultTests : IDisposable
{
    private readonly NameDirectory _real = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _provider;

    public UnstoredResultTests()
    {
        Backend = new LruBackend(new InMemoryBackendOptions { Capacity = 1_000, MaxBytes = 1_000, TimeProvider = _time });
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddCacheweave(b => b.UseDefaultBackend(_ => Backend));
        services.AddSingleton<INameDirectory>(_real);
        services.AddCachedProxy<INameDirectory>();
        _provider = services.BuildServiceProvider();
        Proxy = _provider.GetRequiredService<INameDirectory>();
    }

    private LruBackend Backend { get; }

    private INameDirectory Proxy { get; }

    public void Dispose()
    {
        _provider.Dispose();
        Backend.Dispose();
    }

    public static TheoryData<string> Shapes => ["Task", "ValueTask", "Sync"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task A_refresh_whose_null_result_is_not_cached_removes_the_older_entry(string shape)
    {
        Func<Task<string?>> find = shape switch
        {
            "Task" => () => Proxy.FindAsync(1),
            "ValueTask" => () => Proxy.FindValueAsync(1).AsTask(),
            _ => () => Task.FromResult(Proxy.FindSync(1)),
        };
        SetName(1, "Ada");
        Assert.Equal("Ada", await find());
        Assert.Equal("Ada", await find());
        Assert.Equal(1, _real.Calls);

        SetName(1, null);
        using (CacheScope.Refresh())
        {
            Assert.Null(await find());
        }

        // Before: the refresh left "Ada" in place, and every later call returned it.
        Assert.Null(await find());
        Assert.Equal(3, _real.Calls);
        Assert.Equal(0, await Backend.CountAsync());
    }

    [Fact]
    public async Task A_refresh_whose_result_is_too_large_for_the_budget_removes_the_older_entry()
    {
        SetName(1, "Ada");
        Assert.Equal("Ada", await Proxy.FindAsync(1));

        var large = new string('x', 2_000);
        SetName(1, large);
        using (CacheScope.Refresh())
        {
            Assert.Equal(large, await Proxy.FindAsync(1));
        }

        Assert.Equal(large, await Proxy.FindAsync(1));
        Assert.Equal(3, _real.Calls);
    }

    [Fact]
    public async Task A_refresh_of_a_method_with_lifetime_options_removes_the_older_entry_when_its_result_is_not_kept()
    {
        SetName(1, "Ada");
        Assert.Equal("Ada", await Proxy.FindSafeAsync(1));
        Assert.Equal("Ada", await Proxy.NameAsync(1));

        SetName(1, null);
        using (CacheScope.Refresh())
        {
            Assert.Null(await Proxy.FindSafeAsync(1));
            Assert.Equal(string.Empty, await Proxy.NameAsync(1));
        }

        Assert.Null(await Proxy.FindSafeAsync(1));
        Assert.Equal(string.Empty, await Proxy.NameAsync(1));
        Assert.Equal(0, await Backend.CountAsync());
    }

    [Fact]
    public async Task A_stale_entry_whose_run_returns_a_result_not_kept_no_longer_stands_in_for_a_failure()
    {
        SetName(1, "Ada");
        Assert.Equal("Ada", await Proxy.FindSafeAsync(1));

        // Expired but within fail-safe: the next call runs the method, which says the entry is gone.
        _time.Advance(TimeSpan.FromSeconds(11));
        SetName(1, null);
        Assert.Null(await Proxy.FindSafeAsync(1));

        // Before: the stale "Ada" stayed and was served as the fail-safe value of this failure.
        _real.Failing = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => Proxy.FindSafeAsync(1));
    }

    [Fact]
    public async Task An_eager_refresh_whose_result_is_not_kept_removes_the_entry_it_was_to_replace()
    {
        SetName(1, "Ada");
        Assert.Equal("Ada", await Proxy.FindEagerAsync(1));

        // Past 80 % of the time to live: the hit answers and starts a refresh in the background.
        _time.Advance(TimeSpan.FromSeconds(8.5));
        SetName(1, null);
        Assert.Equal("Ada", await Proxy.FindEagerAsync(1));
        await Poll.UntilAsync(async () => await Backend.CountAsync() == 0);

        Assert.Null(await Proxy.FindEagerAsync(1));
    }

    [Fact]
    public async Task A_plain_miss_whose_result_is_not_kept_removes_nothing_else()
    {
        SetName(1, "Ada");
        Assert.Equal("Ada", await Proxy.FindAsync(1));

        // Another key's null result is not stored and takes nothing with it.
        Assert.Null(await Proxy.FindAsync(2));
        Assert.Equal("Ada", await Proxy.FindAsync(1));
        Assert.Equal(2, _real.Calls);
    }

    private void SetName(int id, string? name)
    {
        lock (_real.Names)
        {
            _real.Names[id] = name;
        }
    }
}
