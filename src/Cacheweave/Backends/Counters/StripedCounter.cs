namespace Cacheweave.Backends.Counters;

/// <summary>
/// An exact counter that many threads increment without contending on one cache line: each thread adds to
/// the cell its <see cref="ThreadStripe.Number"/> selects, and reading sums the cells.
/// </summary>
internal sealed class StripedCounter
{
    private readonly PaddedCounter[] _cells;
    private readonly int _mask;

    internal StripedCounter()
    {
        var count = ThreadStripe.CountFor(perProcessor: 2);
        _cells = new PaddedCounter[count];
        _mask = count - 1;
    }

    internal void Increment() => Interlocked.Increment(ref _cells[ThreadStripe.Number & _mask].Value);

    internal long Sum()
    {
        long sum = 0;
        for (var i = 0; i < _cells.Length; i++)
        {
            sum += Volatile.Read(ref _cells[i].Value);
        }

        return sum;
    }

    internal void Reset()
    {
        for (var i = 0; i < _cells.Length; i++)
        {
            Volatile.Write(ref _cells[i].Value, 0);
        }
    }
}
