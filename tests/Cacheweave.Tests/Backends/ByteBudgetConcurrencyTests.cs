using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Cacheweave.Backends;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Cacheweave.Tests.Backends;

/// <summary>
/// Six threads write entries of 0 to 200 bytes (sized by the sizer or by each write), read and remove them over many
/// more keys than fit, while another thread moves the byte budget up and down and an observer samples the statistics.
/// The bytes held never pass the budget in any sample, and at the end the counter equals the sizes of the entries held.
/// </summary>
public sealed class ByteBudgetConcurrencyTests
{
    private const int Threads = 6;
    private const int OperationsPerThread = 40_000;
    private const int KeySpace = 2_000;
    private const int MaxSize = 200;
    private const long SmallBudget = 5_000;
    private const long LargeBudget = 20_000;

    private static readonly string[] Keys = [.. Enumerable.Range(0, KeySpace).Select(index => $"key-{index}")];

    private readonly ITestOutputHelper _output;

    public ByteBudgetConcurrencyTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public async Task Concurrent_writes_and_budget_changes_never_hold_more_bytes_than_the_budget(BackendPolicy policy)
    {
        using var backend = InMemoryBackends.CreateWithByteBudget(
            policy, capacity: KeySpace, maxBytes: LargeBudget, new FakeTimeProvider(), sizer: static (_, value) => SizeOf((long)value!));
        var wrongValues = new ConcurrentQueue<string>();
        var removals = new long[Enum.GetValues<CacheRemovalReason>().Length];
        backend.EntryRemoved += (_, e) =>
        {
            Interlocked.Increment(ref removals[(int)e.Reason]);
            if (e.Value is not long value || Keys[KeyOf(value)] != e.Key)
            {
                wrongValues.Enqueue($"{e.Reason} notification for {e.Key} carried {e.Value}");
            }
        };

        using var start = new Barrier(Threads + 2);
        var running = new StrongBox<bool>(true);
        var observer = StartThread(() => Observe(backend, start, running));
        var resizer = StartThread(() => Resize(backend, start, running));
        var workers = Enumerable.Range(0, Threads).Select(thread => StartThread(() => Work(backend, thread, start, wrongValues))).ToArray();
        var tallies = await Task.WhenAll(workers);
        Volatile.Write(ref running.Value, false);
        var (samples, overBudget) = await observer;
        var resizes = await resizer;

        var statistics = backend.Statistics;
        _output.WriteLine($"{policy}: {statistics}, {samples} samples, {resizes} resizes");
        Assert.Empty(wrongValues);
        Assert.True(samples > 0 && resizes > 0, $"The observer sampled {samples} times and the budget changed {resizes} times.");
        Assert.True(overBudget.Count == 0, $"The bytes passed the budget in {overBudget.Count} of {samples} samples: {string.Join(", ", overBudget.Take(5))}");
        Assert.InRange(statistics.Bytes, 0, statistics.MaxBytes!.Value);
        Assert.Equal(backend.SumOfEntrySizes(), statistics.Bytes);
        Assert.True(statistics.Evictions > 0, "The budget never made anything leave.");
        Assert.Equal(removals[(int)CacheRemovalReason.Evicted], statistics.Evictions);

        // Every write made an entry or replaced one; every entry made is still held or left exactly once.
        Assert.Equal(
            tallies.Sum(t => t.Puts),
            removals[(int)CacheRemovalReason.Replaced] + removals[(int)CacheRemovalReason.Evicted]
                + removals[(int)CacheRemovalReason.Removed] + backend.Count);
        Assert.Equal(tallies.Sum(t => t.Removed), removals[(int)CacheRemovalReason.Removed]);
        foreach (var (key, value) in backend.SnapshotLiveEntries())
        {
            Assert.Equal(key, Keys[KeyOf((long)value!)]);
        }
    }

    private static Tally Work(InMemoryBackend backend, int thread, Barrier start, ConcurrentQueue<string> wrongValues)
    {
        var random = new Random(104_729 * (thread + 1));
        var tally = new Tally();
        start.SignalAndWait();
        for (var n = 0; n < OperationsPerThread; n++)
        {
            var index = random.Next(KeySpace);
            var roll = random.Next(100);
            if (roll < 50)
            {
                if (backend.TryGet<long>(Keys[index], out var value) && KeyOf(value) != index)
                {
                    wrongValues.Enqueue($"{Keys[index]} served {value:X}");
                }
            }
            else if (roll < 90)
            {
                var value = ValueOf(index, random.Next(MaxSize + 1));

                // Half the writes give the size themselves; it is the one the sizer would compute.
                var options = roll < 70 ? new CacheEntryOptions { Size = SizeOf(value) } : null;
                Synchronously.Complete(backend.PutAsync(Keys[index], value, options));
                tally.Puts++;
            }
            else if (backend.Remove(Keys[index]))
            {
                tally.Removed++;
            }
        }

        return tally;
    }

    private static int Resize(InMemoryBackend backend, Barrier start, StrongBox<bool> running)
    {
        var resizes = 0;
        start.SignalAndWait();
        while (Volatile.Read(ref running.Value))
        {
            backend.ResizeBytes(resizes % 2 == 0 ? SmallBudget : LargeBudget);
            resizes++;
            Thread.Yield();
        }

        return resizes;
    }

    private static (long Samples, List<string> OverBudget) Observe(InMemoryBackend backend, Barrier start, StrongBox<bool> running)
    {
        long samples = 0;
        var overBudget = new List<string>();
        start.SignalAndWait();
        while (Volatile.Read(ref running.Value))
        {
            var statistics = backend.Statistics;
            samples++;
            if (statistics.Bytes > statistics.MaxBytes || statistics.Bytes < 0 || backend.Bytes > LargeBudget)
            {
                overBudget.Add($"{statistics.Bytes} of {statistics.MaxBytes}");
            }
        }

        return (samples, overBudget);
    }

    private static Task<T> StartThread<T>(Func<T> body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    // The key index in the high half, the size in the low one.
    private static long ValueOf(int keyIndex, int size) => ((long)keyIndex << 32) | (uint)size;

    private static int KeyOf(long value) => (int)(value >> 32);

    private static long SizeOf(long value) => value & 0xFFFF_FFFF;

    private sealed class Tally
    {
        public long Puts { get; set; }

        public long Removed { get; set; }
    }
}
