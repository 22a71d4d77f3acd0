using Cacheweave.Interception;

namespace Cacheweave.Tests.Interception.Mutation;

public interface IQuoteService
{
    [Cached]
    Task<string> QuoteAsync(Basket basket);

    [Cached]
    ValueTask<string> QuoteValueAsync(Basket basket);

    [Cached]
    string Consume(Basket basket);
}
