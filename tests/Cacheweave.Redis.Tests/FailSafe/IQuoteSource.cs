using Cacheweave.Interception;

namespace Cacheweave.Redis.Tests.FailSafe;

/// <summary>A flaky dependency behind fail-safe: its entries live 10 s, and may be served 60 s longer when it fails.</summary>
public interface IQuoteSource
{
    [Cached(TtlSeconds = 10, FailSafeSeconds = 60)]
    Task<Quote> QuoteAsync(string symbol);
}
