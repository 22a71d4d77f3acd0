namespace Cacheweave.Tests.Tags;

/// <summary>Reads the current truth, then dawdles a little so that writes and invalidations land in between.</summary>
public sealed class RaceSource : IRaceSource
{
    private long _truth;
    private int _runs;

    public long Truth => Volatile.Read(ref _truth);

    public int Runs => Volatile.Read(ref _runs);

    public long Bump() => Interlocked.Increment(ref _truth);

    public Task<long> GetAsync(int id)
    {
        var seen = Volatile.Read(ref _truth);
        Thread.SpinWait(Random.Shared.Next(0, 2_000));
        if (Random.Shared.Next(4) == 0)
        {
            Thread.Yield();
        }

        return Task.FromResult(seen);
    }

    public int Read(int tenant, int id) => Interlocked.Increment(ref _runs);

    public int ReadUntagged(int tenant, int id) => Interlocked.Increment(ref _runs);
}
