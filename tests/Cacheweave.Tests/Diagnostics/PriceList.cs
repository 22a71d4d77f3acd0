namespace Cacheweave.Tests.Diagnostics;

/// <summary>Prices by id (id × 10), counting how often the real methods run.</summary>
public sealed class PriceList : IPriceList
{
    private int _runs;

    /// <summary>How many times a real method ran.</summary>
    public int Runs => Volatile.Read(ref _runs);

    /// <summary>When set, <see cref="PriceAsync"/> waits for it before returning (to hold concurrent callers on one key).</summary>
    public Task? Gate { get; set; }

    public async Task<int> PriceAsync(int id)
    {
        Interlocked.Increment(ref _runs);
        if (Gate is { } gate)
        {
            await gate;
        }

        return id * 10;
    }

    public ValueTask<int> PriceValueAsync(int id)
    {
        Interlocked.Increment(ref _runs);
        return new(id * 10);
    }

    public int Price(int id)
    {
        Interlocked.Increment(ref _runs);
        return id * 10;
    }

    public int Price(string code)
    {
        Interlocked.Increment(ref _runs);
        return code.Length;
    }

    public Task<int> BrokenPriceAsync(int id)
    {
        Interlocked.Increment(ref _runs);
        return Task.FromException<int>(new InvalidOperationException("The price service is down."));
    }
}
