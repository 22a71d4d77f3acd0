using System.Reflection;
using Cacheweave.Backends;
using Cacheweave.Backends.Buffers;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends;

/// <summary>
/// A reader whose access records fill its stripe replays them into the policy under the backend's lock. When another
/// thread holds that lock, the reader must not queue behind it: readers taking turns at the lock is what made a
/// 2-thread read/write mix run no faster than one thread. Its records are then dropped (a sample, as in Caffeine),
/// while its hits are still counted.
/// </summary>
public sealed class AccessRecordContentionTests
{
    private const int Reads = 1_000;

    // The backends that record accesses (TTL and FIFO record none).
    public static TheoryData<string> RecordingBackends => new() { "LRU", "LRU+TTL", "LFU", "TinyLFU" };

    [Theory]
    [MemberData(nameof(RecordingBackends))]
    public void A_reader_with_a_full_stripe_does_not_wait_for_a_lock_another_thread_holds(string kind)
    {
        var time = new FakeTimeProvider();
        using InMemoryBackend backend = kind switch
        {
            "LRU" => new LruBackend(100, time),
            "LRU+TTL" => new LruTtlBackend(100, TimeSpan.FromHours(1), time),
            "LFU" => new LfuBackend(100, time),
            _ => new TinyLfuBackend(100, time),
        };
        backend.Set("k", 1);
        using var held = LockHolder.Hold(backend);

        // Far more reads than a stripe holds: a reader that waited for the lock would block until it is released.
        var hits = 0;
        var reader = new Thread(() =>
        {
            for (var i = 0; i < Reads; i++)
            {
                if (backend.TryGet<int>("k", out var value) && value == 1)
                {
                    hits++;
                }
            }
        });
        bool finished;
        try
        {
            reader.Start();
            finished = reader.Join(TimeSpan.FromSeconds(30));
        }
        finally
        {
            held.Dispose();
            reader.Join();
        }

        Assert.True(finished, "The reader waited for the lock another thread held.");
        Assert.Equal(Reads, hits);
        Assert.Equal(Reads, backend.Statistics.Hits);
    }

    // 256 entries c0..c255, written in order: c0 is the least recently used.
    private const int Entries = 256;

    [Fact]
    public void After_a_reader_found_the_lock_taken_its_next_replays_keep_only_their_newest_records()
    {
        using var backend = FilledLru();
        FindTheLockTaken(backend);

        // The stripe is full of the dropped phase's records: this replay is sampled, and so is the one c64 triggers,
        // which keeps only c56..c63 of the 64 reads c0..c63.
        ReadInOrder(backend, from: 0, count: 65);
        backend.Set("new0", -1);

        // c0 was not moved to the front, so it went first; with every record replayed c65 would have.
        Assert.False(backend.TryGet<int>("c0", out _));
        Assert.True(backend.TryGet<int>("c65", out _));
        Assert.True(backend.TryGet<int>("c56", out _));
    }

    [Fact]
    public void Sampled_replays_end_after_a_few_stripes_and_a_single_thread_then_replays_every_record_again()
    {
        using var backend = FilledLru();
        FindTheLockTaken(backend);

        // The replay that empties the stale stripe is the first sampled one; reading one key until the remaining sampled
        // replays are spent leaves one record behind.
        ReadInOrder(backend, from: 255, count: 1);
        for (var i = 0; i < (AccessBuffer.SampledDrains - 1) * 64; i++)
        {
            Assert.True(backend.TryGet<int>("c255", out _));
        }

        ReadInOrder(backend, from: 0, count: 65);
        backend.Set("new0", -1);

        // Every read reached the policy again: c0..c64 moved to the front, and the least recently used was c65.
        Assert.True(backend.TryGet<int>("c0", out _));
        Assert.False(backend.TryGet<int>("c65", out _));
    }

    [Fact]
    public void A_single_thread_that_never_finds_the_lock_taken_replays_every_record()
    {
        using var backend = FilledLru();

        ReadInOrder(backend, from: 0, count: 65);
        backend.Set("new0", -1);

        Assert.True(backend.TryGet<int>("c0", out _));
        Assert.False(backend.TryGet<int>("c65", out _));
    }

    private static LruBackend FilledLru()
    {
        var backend = new LruBackend(Entries, new FakeTimeProvider());
        for (var i = 0; i < Entries; i++)
        {
            backend.Set("c" + i, i);
        }

        return backend;
    }

    // Fills this thread's stripe while another thread holds the lock, so that the next read drops its record and
    // notes the contention; the stripe stays full of records that were never replayed.
    private static void FindTheLockTaken(InMemoryBackend backend)
    {
        using (LockHolder.Hold(backend))
        {
            for (var i = 0; i < 65; i++)
            {
                Assert.True(backend.TryGet<int>("c255", out _));
            }
        }
    }

    private static void ReadInOrder(InMemoryBackend backend, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            Assert.True(backend.TryGet<int>("c" + i, out var value));
            Assert.Equal(i, value);
        }
    }

    // Holds a backend's lock on another thread until disposed.
    private sealed class LockHolder : IDisposable
    {
        private readonly ManualResetEventSlim _release = new();
        private readonly Thread _thread;
        private bool _disposed;

        private LockHolder(InMemoryBackend backend)
        {
            var sync = (Lock)typeof(InMemoryBackend).GetField("_sync", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(backend)!;
            using var held = new ManualResetEventSlim();
            _thread = new Thread(() =>
            {
                lock (sync)
                {
                    held.Set();
                    _release.Wait();
                }
            });
            _thread.Start();
            held.Wait();
        }

        public static LockHolder Hold(InMemoryBackend backend) => new(backend);

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _release.Set();
            _thread.Join();
            _release.Dispose();
        }
    }
}
