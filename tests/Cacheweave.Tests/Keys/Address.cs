namespace Cacheweave.Tests.Keys;

/// <summary>A record argument: serialized by its public properties, without MessagePack attributes.</summary>
public sealed record Address(string Street, int Number, string? Unit = null);
