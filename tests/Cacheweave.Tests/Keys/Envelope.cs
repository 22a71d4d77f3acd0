namespace Cacheweave.Tests.Keys;

/// <summary>A record with an <see cref="object"/> member.</summary>
public sealed record Envelope(object? Content);
