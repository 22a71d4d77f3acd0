namespace Cacheweave.Tests.Keys;

/// <summary>A record with a member of a non-sealed type: runtime types must count below the top level too.</summary>
public sealed record Owner(string Name, Animal? Pet);
