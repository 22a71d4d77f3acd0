using Cacheweave.Backends;
using Cacheweave.Tiers;
using Microsoft.Extensions.DependencyInjection;

namespace Cacheweave.Tests.Interception.CrossTalk;

/// <summary>
/// A cached call returns the value of exactly its own arguments, whatever the return shape, the value type, the thread
/// or the tier: 8 threads call random n in 0..63, and every result is compared with what the method returns for n.
/// </summary>
public sealed class CrossTalkStressTests
{
    private const int Threads = 8;
    private const int CallsPerThread = 40_000;
    private const int DistinctArguments = 64;

    private static readonly Dictionary<string, (Func<IShapeService, int, object> Call, Func<int, object> Expected)> Methods = new(StringComparer.Ordinal)
    {
        ["Task<int>"] = ((s, n) => s.IntTaskAsync(n).GetAwaiter().GetResult(), n => Expected.Square(n)),
        ["ValueTask<int>"] = ((s, n) => Wait(s.IntValueTaskAsync(n)), n => Expected.Square(n)),
        ["int"] = ((s, n) => s.IntSync(n), n => Expected.Square(n)),
        ["Task<long>"] = ((s, n) => s.LongTaskAsync(n).GetAwaiter().GetResult(), n => Expected.Wide(n)),
        ["ValueTask<long>"] = ((s, n) => Wait(s.LongValueTaskAsync(n)), n => Expected.Wide(n)),
        ["long"] = ((s, n) => s.LongSync(n), n => Expected.Wide(n)),
        ["Task<Pair>"] = ((s, n) => s.PairTaskAsync(n).GetAwaiter().GetResult(), n => Expected.Pair(n)),
        ["ValueTask<Pair>"] = ((s, n) => Wait(s.PairValueTaskAsync(n)), n => Expected.Pair(n)),
        ["Pair"] = ((s, n) => s.PairSync(n), n => Expected.Pair(n)),
        ["Task<string>"] = ((s, n) => s.TextTaskAsync(n).GetAwaiter().GetResult(), n => Expected.Text(n)),
        ["ValueTask<string>"] = ((s, n) => Wait(s.TextValueTaskAsync(n)), n => Expected.Text(n)),
        ["string"] = ((s, n) => s.TextSync(n), n => Expected.Text(n)),
        ["Task<Reading>"] = ((s, n) => s.ReadingTaskAsync(n).GetAwaiter().GetResult(), n => Expected.Reading(n)),
        ["ValueTask<Reading>"] = ((s, n) => Wait(s.ReadingValueTaskAsync(n)), n => Expected.Reading(n)),
        ["Reading"] = ((s, n) => s.ReadingSync(n), n => Expected.Reading(n)),
    };

    public static TheoryData<string> MethodNames() => [.. Methods.Keys];

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void Eight_threads_on_an_in_memory_backend_never_get_another_keys_value(string method)
    {
        using var backend = new LruBackend(4_096);

        var outcome = Hammer(backend, method);

        Assert.Equal(Threads * CallsPerThread, outcome.Calls);
        Assert.True(outcome.Wrong == 0, $"{method}: {outcome.Wrong} of {outcome.Calls} calls returned another key's value, e.g. {outcome.FirstWrong}.");
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void Eight_threads_on_two_level_L1_hits_never_get_another_keys_value(string method)
    {
        using var backend = new TwoLevelBackend(new LruBackend(4_096), new LruBackend(4_096));

        var outcome = Hammer(backend, method);

        Assert.Equal(Threads * CallsPerThread, outcome.Calls);
        Assert.True(outcome.Wrong == 0, $"{method}: {outcome.Wrong} of {outcome.Calls} calls returned another key's value, e.g. {outcome.FirstWrong}.");
    }

    /// <summary>
    /// Room for a quarter of the arguments: entries are evicted and written again all the time, so the key handles'
    /// remembered entries keep dying under the readers (the hit path must then read the map, never the dead entry).
    /// </summary>
    [Theory]
    [MemberData(nameof(MethodNames))]
    public void Eight_threads_on_backends_too_small_for_the_arguments_never_get_another_keys_value(string method)
    {
        using var lru = new LruBackend(DistinctArguments / 4);
        using var tinyLfu = new TinyLfuBackend(DistinctArguments / 4);

        foreach (var backend in new InMemoryBackend[] { lru, tinyLfu })
        {
            var outcome = Hammer(backend, method);

            Assert.Equal(Threads * CallsPerThread, outcome.Calls);
            Assert.True(outcome.Wrong == 0, $"{method} on {backend.GetType().Name}: {outcome.Wrong} of {outcome.Calls} calls returned another key's value, e.g. {outcome.FirstWrong}.");
            Assert.True(backend.Statistics.Evictions > 0, $"{backend.GetType().Name} evicted nothing: the test did not churn.");
        }
    }

    private static (int Calls, int Wrong, string? FirstWrong) Hammer(ICacheBackend backend, string method)
    {
        var (call, expected) = Methods[method];
        var services = new ServiceCollection();
        services.AddCacheweave(b => b.UseDefaultBackend(_ => new NonOwningBackend(backend)));
        services.AddCachedProxy<IShapeService, ShapeService>();
        using var provider = services.BuildServiceProvider();
        var proxy = provider.GetRequiredService<IShapeService>();
        var expectedValues = Enumerable.Range(0, DistinctArguments).Select(expected).ToArray();

        var calls = 0;
        var wrong = 0;
        string? firstWrong = null;
        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var random = new Random(1_000 + t);
            var myWrong = 0;
            start.SignalAndWait();
            for (var i = 0; i < CallsPerThread; i++)
            {
                var n = random.Next(DistinctArguments);
                var result = call(proxy, n);
                if (!Equals(result, expectedValues[n]))
                {
                    myWrong++;
                    Interlocked.CompareExchange(ref firstWrong, $"n = {n} returned {result}, expected {expectedValues[n]}", null);
                }
            }

            Interlocked.Add(ref calls, CallsPerThread);
            Interlocked.Add(ref wrong, myWrong);
        })).ToArray();

        foreach (var worker in workers)
        {
            worker.Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        return (calls, wrong, firstWrong);
    }

    private static object Wait<T>(ValueTask<T> pending) =>
        (pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult())!;
}
