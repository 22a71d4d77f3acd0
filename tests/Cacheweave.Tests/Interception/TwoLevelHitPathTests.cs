using Cacheweave.Backends;
using Cacheweave.Tiers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NSubstitute;

namespace Cacheweave.Tests.Interception;

/// <summary>
/// Over a <see cref="TwoLevelBackend"/> whose local tier is in memory, a plain method reads L1 through <c>TryGet</c>
/// (no <c>ValueTask</c>, no generic interface dispatch, twice over) and goes through the two-level backend only when
/// L1 misses. These pin that the shortcut answers exactly as the two-level lookup: L1 hits are L1's, and an L1 miss
/// still reads L2 before the method runs.
/// </summary>
public sealed class TwoLevelHitPathTests : IDisposable
{
    private static readonly User Ada = new(1, "Ada");

    private readonly LruBackend _local = new(1_000);
    private readonly LruBackend _shared = new(1_000);
    private readonly ServiceProvider _provider;
    private readonly IUserService _real = Substitute.For<IUserService>();
    private readonly FakeLogger _log = new();

    public TwoLevelHitPathTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton(CapturedLog.FactoryOf(_log));
        services.AddCacheweave(b => b.UseDefaultBackend(_ => new TwoLevelBackend(_local, _shared)));
        services.AddSingleton(_real);
        services.AddCachedProxy<IUserService>();
        _provider = services.BuildServiceProvider();
        Proxy = _provider.GetRequiredService<IUserService>();
        _real.FindAsync(1, Arg.Any<CancellationToken>()).Returns(Ada);
        _real.FindValueAsync(1, Arg.Any<CancellationToken>()).Returns(new ValueTask<User?>(Ada));
        _real.Find(1).Returns(Ada);
    }

    private IUserService Proxy { get; }

    public void Dispose() => _provider.Dispose();

    [Fact]
    public async Task Hits_of_every_shape_are_answered_by_the_local_tier()
    {
        await Proxy.FindAsync(1);
        await Proxy.FindValueAsync(1);
        Proxy.Find(1);
        var localHits = _local.Statistics.Hits;
        var sharedReads = _shared.Statistics.Hits + _shared.Statistics.Misses;

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(Ada, await Proxy.FindAsync(1));
            Assert.Equal(Ada, await Proxy.FindValueAsync(1));
            Assert.Equal(Ada, Proxy.Find(1));
        }

        Assert.Equal(localHits + 15, _local.Statistics.Hits);
        Assert.Equal(sharedReads, _shared.Statistics.Hits + _shared.Statistics.Misses);
        await _real.Received(1).FindAsync(1, Arg.Any<CancellationToken>());
        await _real.Received(1).FindValueAsync(1, Arg.Any<CancellationToken>());
        _real.Received(1).Find(1);
    }

    [Fact]
    public async Task A_local_miss_reads_the_shared_tier_before_it_runs_the_method_in_every_shape()
    {
        await Proxy.FindAsync(1);
        await Proxy.FindValueAsync(1);
        Proxy.Find(1);

        // Another process's view: L1 lost its copies (evicted, restarted), L2 still holds them.
        _local.Clear();
        Assert.Equal(Ada, await Proxy.FindAsync(1));
        Assert.Equal(Ada, await Proxy.FindValueAsync(1));
        Assert.Equal(Ada, Proxy.Find(1));

        await _real.Received(1).FindAsync(1, Arg.Any<CancellationToken>());
        await _real.Received(1).FindValueAsync(1, Arg.Any<CancellationToken>());
        _real.Received(1).Find(1);
        Assert.Equal(3, _local.Count);

        // An L2 hit is a lookup's hit: no wait for the key's lock, reported as if another caller had filled the key.
        Assert.DoesNotContain(_log.Collector.GetSnapshot(), record => record.Id.Id == 1082);
    }

    [Fact]
    public async Task A_call_with_a_cancelled_token_is_cancelled_even_when_its_entry_is_in_the_local_tier()
    {
        await Proxy.FindAsync(1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Proxy.FindAsync(1, new CancellationToken(canceled: true)));

        await _real.Received(1).FindAsync(1, Arg.Any<CancellationToken>());
    }
}
