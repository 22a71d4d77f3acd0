namespace Cacheweave.Tests.Keys;

/// <summary>A query by name; its bytes equal those of <see cref="ById"/> with the same value.</summary>
public sealed record ByName(int Value);
