namespace Cacheweave.Examples.WebApi;

public sealed record Price(int ProductId, decimal Amount, DateTimeOffset AsOf);
