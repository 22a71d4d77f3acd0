namespace Cacheweave.Tests.Keys;

/// <summary>A subtype whose extra member would be lost if it were written as an <see cref="Animal"/>.</summary>
public sealed record Dog(string Name, string? Breed) : Animal(Name);
