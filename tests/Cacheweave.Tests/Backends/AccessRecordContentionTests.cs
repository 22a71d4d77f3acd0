using System.Reflection;
using Cacheweave.Backends;
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
        var sync = (Lock)typeof(InMemoryBackend).GetField("_sync", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(backend)!;

        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = new Thread(() =>
        {
            lock (sync)
            {
                held.Set();
                release.Wait();
            }
        });
        holder.Start();
        held.Wait();
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
            release.Set();
            holder.Join();
            reader.Join();
        }

        Assert.True(finished, "The reader waited for the lock another thread held.");
        Assert.Equal(Reads, hits);
        Assert.Equal(Reads, backend.Statistics.Hits);
    }
}
