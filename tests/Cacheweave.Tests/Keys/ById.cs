namespace Cacheweave.Tests.Keys;

/// <summary>A query by id; its bytes equal those of <see cref="ByName"/> with the same value.</summary>
public sealed record ById(int Value);
