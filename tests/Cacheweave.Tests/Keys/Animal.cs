namespace Cacheweave.Tests.Keys;

/// <summary>A record that is not sealed: a parameter of this type can receive a <see cref="Dog"/>.</summary>
public record Animal(string Name);
