using Cacheweave.Backends;
using Cacheweave.Interception;
using Microsoft.Extensions.DependencyInjection;

namespace Cacheweave.Tests.Tags;

public sealed class TagRaceTests
{
    /// <summary>
    /// Readers on real threads call the tagged method while a writer bumps the truth and invalidates the tag. A reader
    /// that starts after an invalidation completed must see a value at least as new as that invalidation's truth: an
    /// entry computed from older truth (by a call racing the invalidation) must never be served after it.
    /// </summary>
    [Fact]
    public async Task A_write_racing_a_tag_invalidation_never_survives_it()
    {
        var real = new RaceSource();
        using var backend = new LruBackend(100_000);
        var services = new ServiceCollection();
        services.AddCacheweave(b => b.UseDefaultBackend(_ => backend));
        services.AddSingleton<IRaceSource>(real);
        services.AddCachedProxy<IRaceSource>();
        await using var provider = services.BuildServiceProvider();
        var proxy = provider.GetRequiredService<IRaceSource>();
        var invalidator = provider.GetRequiredService<ICacheInvalidator>();
        long invalidatedThrough = 0;
        var stale = 0;
        var reads = 0;
        using var stop = new CancellationTokenSource();

        var readers = Enumerable.Range(0, 3).Select(_ => Task.Factory.StartNew(
            () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var floor = Volatile.Read(ref invalidatedThrough);
                    var value = proxy.GetAsync(1).GetAwaiter().GetResult();
                    Interlocked.Increment(ref reads);
                    if (value < floor)
                    {
                        Interlocked.Increment(ref stale);
                    }
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();

        var writer = Task.Factory.StartNew(
            () =>
            {
                for (var i = 0; i < 3_000; i++)
                {
                    var truth = real.Bump();
                    invalidator.InvalidateTagAsync("item:1").AsTask().GetAwaiter().GetResult();
                    Volatile.Write(ref invalidatedThrough, truth);
                    Thread.SpinWait(Random.Shared.Next(0, 3_000));
                }
            },
            TaskCreationOptions.LongRunning);

        await writer;
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        Assert.True(reads > 0);
        Assert.Equal(0, stale);
        Assert.Equal(real.Truth, await proxy.GetAsync(1));
    }
}
