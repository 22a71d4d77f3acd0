namespace Cacheweave.Redis.Tests.FailSafe;

/// <summary>Returns 100 + its run count as the price, or throws while <see cref="Failing"/> is set.</summary>
public sealed class FlakyQuoteSource : IQuoteSource
{
    private int _runs;

    public bool Failing { get; set; }

    public int Runs => Volatile.Read(ref _runs);

    public Task<Quote> QuoteAsync(string symbol)
    {
        var run = Interlocked.Increment(ref _runs);
        return Failing ? Task.FromException<Quote>(new InvalidOperationException("quote feed down")) : Task.FromResult(new Quote(symbol, 100 + run));
    }
}
