namespace Cacheweave.Tests.Interception;

public sealed record User(int Id, string Name);
