using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using Cacheweave.Backends;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Cacheweave.Tests.Backends;

/// <summary>
/// Eight threads hammer one backend with 100,000 mixed operations each (60% reads, 30% writes, 10% removals)
/// over four times more keys than it holds, while the clock moves and the sweep runs, and an observer thread
/// samples the count. Every value carries the key it was written for, so a value served under the wrong key
/// cannot go unnoticed.
/// </summary>
public sealed class BackendConcurrencyTests
{
    private const int Threads = 8;
    private const int OperationsPerThread = 100_000;
    private const int Capacity = 1_000;
    private const int KeySpace = 4 * Capacity;
    private const int HotKeys = Capacity / 2;
    private const int AdvanceEvery = 2_500;

    private static readonly TimeSpan DefaultTimeToLive = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ClockStep = TimeSpan.FromMilliseconds(500);

    private readonly ITestOutputHelper _output;

    public BackendConcurrencyTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public async Task Eight_threads_of_mixed_operations_break_no_invariant(BackendPolicy policy)
    {
        var time = new FakeTimeProvider();
        using var backend = InMemoryBackends.Create(policy, Capacity, time, DefaultTimeToLive);
        var keys = Enumerable.Range(0, KeySpace).Select(KeyOf).ToArray();
        var keyIndex = keys.Select((key, index) => (key, index)).ToFrozenDictionary(p => p.key, p => p.index, StringComparer.Ordinal);
        var wrongValues = new ConcurrentQueue<string>();
        var removals = new long[Enum.GetValues<CacheRemovalReason>().Length];
        backend.EntryRemoved += (_, e) =>
        {
            Interlocked.Increment(ref removals[(int)e.Reason]);
            if (e.Value is not long value || !IsValueOf(keyIndex[e.Key], value))
            {
                wrongValues.Enqueue($"{e.Reason} notification for {e.Key} carried {e.Value}");
            }
        };

        using var start = new Barrier(Threads + 1);
        var running = new StrongBox<bool>(true);
        var observer = StartThread(() => ObserveCount(backend, start, running));
        var workers = Enumerable.Range(0, Threads)
            .Select(thread => StartThread(() => Work(backend, time, keys, thread, start, wrongValues)))
            .ToArray();
        var tallies = await Task.WhenAll(workers);
        Volatile.Write(ref running.Value, false);
        var (samples, overCapacity) = await observer;

        Assert.Empty(wrongValues);
        Assert.True(samples > 0, "The observer never sampled the count.");
        Assert.True(overCapacity.Count == 0, $"Count exceeded the capacity of {Capacity} in {overCapacity.Count} of {samples} samples, up to {overCapacity.DefaultIfEmpty().Max()}.");

        var statistics = backend.Statistics;
        _output.WriteLine($"{policy}: {statistics}, {samples} count samples, removals by reason "
            + string.Join(", ", Enum.GetValues<CacheRemovalReason>().Select(r => $"{r} {removals[(int)r]}")));
        Assert.Equal(tallies.Sum(t => t.Gets), statistics.Hits + statistics.Misses);
        Assert.Equal(removals[(int)CacheRemovalReason.Evicted], statistics.Evictions);
        Assert.Equal(removals[(int)CacheRemovalReason.Expired], statistics.Expirations);
        Assert.Equal(tallies.Sum(t => t.Removed), removals[(int)CacheRemovalReason.Removed]);
        Assert.InRange(backend.Count, 0, Capacity);

        // Every write made an entry or replaced one; every entry made is still held or left exactly once.
        Assert.Equal(
            tallies.Sum(t => t.Puts),
            removals[(int)CacheRemovalReason.Replaced] + removals[(int)CacheRemovalReason.Evicted]
                + removals[(int)CacheRemovalReason.Expired] + removals[(int)CacheRemovalReason.Removed] + backend.Count);

        foreach (var (key, value) in backend.SnapshotLiveEntries())
        {
            Assert.True(value is long stored && IsValueOf(keyIndex[key], stored), $"{key} holds {value}");
        }

        Assert.InRange(await backend.CountAsync(), 0, Capacity);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public async Task A_backend_keeps_working_normally_after_concurrent_use(BackendPolicy policy)
    {
        var time = new FakeTimeProvider();
        using var backend = InMemoryBackends.Create(policy, Capacity, time, DefaultTimeToLive);
        var keys = Enumerable.Range(0, KeySpace).Select(KeyOf).ToArray();
        using var start = new Barrier(Threads);
        await Task.WhenAll(Enumerable.Range(0, Threads)
            .Select(thread => StartThread(() => Work(backend, time, keys, thread, start, new ConcurrentQueue<string>(), OperationsPerThread / 10))));

        var evictionsBefore = backend.Statistics.Evictions;
        await backend.CountAsync();
        var held = backend.Count;
        for (var i = 0; i < 2 * Capacity; i++)
        {
            await backend.PutAsync($"fresh-{i}", (long)i);
            Assert.InRange(backend.Count, 1, Capacity);
        }

        // All of them were written once, to a backend that could not hold both them and what it held before.
        Assert.Equal(Capacity, backend.Count);
        Assert.Equal(evictionsBefore + held + Capacity, backend.Statistics.Evictions);
        if (policy is not BackendPolicy.Lfu)
        {
            // The last 'Capacity' writes are the most recent and the latest to expire: nothing else survives.
            var live = backend.SnapshotLiveEntries();
            Assert.All(Enumerable.Range(Capacity, Capacity), i => Assert.True(live.ContainsKey($"fresh-{i}"), $"fresh-{i} was evicted"));
        }

        await backend.ClearAsync();
        Assert.Equal(0, backend.Count);
        await backend.PutAsync("after-clear", 1L);
        Assert.Equal(new CacheResult<long>(1), await backend.GetAsync<long>("after-clear"));
    }

    private static Tally Work(
        InMemoryBackend backend,
        FakeTimeProvider time,
        string[] keys,
        int thread,
        Barrier start,
        ConcurrentQueue<string> wrongValues,
        int operations = OperationsPerThread)
    {
        var random = new Random(7919 * (thread + 1));
        var tally = new Tally();
        start.SignalAndWait();
        for (var n = 1; n <= operations; n++)
        {
            var index = random.Next(2) == 0 ? random.Next(HotKeys) : random.Next(KeySpace);
            var key = keys[index];
            var roll = random.Next(100);
            if (roll < 60)
            {
                tally.Gets++;
                long value;
                var hit = roll < 30
                    ? Synchronously.Result(backend.GetAsync<long>(key)).TryGetValue(out value)
                    : backend.TryGet(key, out value);
                if (hit && !IsValueOf(index, value))
                {
                    wrongValues.Enqueue($"{key} served {value:X}");
                }
            }
            else if (roll < 90)
            {
                var options = roll < 65 ? CacheEntryOptions.FromSeconds(0.5 + (0.25 * random.Next(7))) : null;
                Synchronously.Complete(backend.PutAsync(key, ValueOf(index, thread, n), options));
                tally.Puts++;
            }
            else if (Synchronously.Result(backend.RemoveAsync(key)))
            {
                tally.Removed++;
            }

            if (n % AdvanceEvery == 0)
            {
                time.Advance(ClockStep);
            }
        }

        return tally;
    }

    private static (long Samples, List<long> OverCapacity) ObserveCount(InMemoryBackend backend, Barrier start, StrongBox<bool> running)
    {
        long samples = 0;
        var overCapacity = new List<long>();
        start.SignalAndWait();
        while (Volatile.Read(ref running.Value))
        {
            var count = backend.Count;
            samples++;
            if (count > Capacity || count < 0)
            {
                overCapacity.Add(count);
            }
        }

        return (samples, overCapacity);
    }

    private static Task<T> StartThread<T>(Func<T> body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static string KeyOf(int index) => $"key-{index}";

    // The key index in the high half, the writer and its operation number (from 1, so 0 is never valid) below.
    private static long ValueOf(int keyIndex, int thread, int operation) => ((long)keyIndex << 32) | ((long)thread << 24) | (uint)operation;

    private static bool IsValueOf(int keyIndex, long value) =>
        value >> 32 == keyIndex && ((value >> 24) & 0xFF) < Threads && (value & 0xFFFFFF) is >= 1 and <= OperationsPerThread;

    private sealed class Tally
    {
        public long Gets { get; set; }

        public long Puts { get; set; }

        public long Removed { get; set; }
    }
}
