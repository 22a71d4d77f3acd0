namespace Cacheweave.Tests.Tags;

public sealed record CatalogUser(int Id, string Name);
