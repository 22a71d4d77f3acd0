namespace Cacheweave.Tests.FailSafe;

public sealed record Stock(int Id, int Count);
