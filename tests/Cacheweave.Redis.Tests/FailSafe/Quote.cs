namespace Cacheweave.Redis.Tests.FailSafe;

public sealed record Quote(string Symbol, decimal Price);
