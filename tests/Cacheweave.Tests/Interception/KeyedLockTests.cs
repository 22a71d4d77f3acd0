using Cacheweave.Interception;

namespace Cacheweave.Tests.Interception;

public sealed class KeyedLockTests
{
    private readonly KeyedLock _locks = new();

    [Fact]
    public async Task Released_key_leaves_the_table()
    {
        using (await _locks.AcquireAsync("a", CancellationToken.None))
        {
            Assert.Equal(1, _locks.Count);
        }

        Assert.Equal(0, _locks.Count);
    }

    [Fact]
    public async Task Second_caller_waits_until_the_first_releases()
    {
        var first = await _locks.AcquireAsync("a", CancellationToken.None);
        var second = _locks.AcquireAsync("a", CancellationToken.None).AsTask();

        Assert.False(second.IsCompleted);
        first.Dispose();
        (await second).Dispose();

        Assert.Equal(0, _locks.Count);
    }

    [Fact]
    public async Task Cancelled_waiter_leaves_no_reference_behind()
    {
        var holder = await _locks.AcquireAsync("a", CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var waiter = _locks.AcquireAsync("a", cts.Token).AsTask();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        holder.Dispose();

        Assert.Equal(0, _locks.Count);
    }

    [Fact]
    public void Already_cancelled_token_fails_without_entering()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => _locks.Acquire("a", cts.Token));
        Assert.Equal(0, _locks.Count);
    }

    [Fact]
    public async Task Different_keys_are_held_at_the_same_time()
    {
        using var a = await _locks.AcquireAsync("a", CancellationToken.None);
        var b = _locks.AcquireAsync("b", CancellationToken.None);

        Assert.True(b.IsCompletedSuccessfully);
        (await b).Dispose();
    }

    [Fact]
    public void Threads_hammering_a_few_keys_never_overlap_and_leave_the_table_empty()
    {
        const int threads = 8;
        const int rounds = 5_000;
        var inside = new int[4];
        var counts = new int[4];
        var overlaps = 0;

        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            for (var i = 0; i < rounds; i++)
            {
                var k = (i + t) % inside.Length;
                using (_locks.Acquire("key" + k, CancellationToken.None))
                {
                    if (Interlocked.Increment(ref inside[k]) != 1)
                    {
                        Interlocked.Increment(ref overlaps);
                    }

                    counts[k]++; // deliberately not atomic: the lock must make it safe
                    Interlocked.Decrement(ref inside[k]);
                }
            }
        })).ToArray();
        foreach (var worker in workers)
        {
            worker.Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        Assert.Equal(0, overlaps);
        Assert.Equal(threads * rounds, counts.Sum());
        Assert.Equal(0, _locks.Count);
    }
}
