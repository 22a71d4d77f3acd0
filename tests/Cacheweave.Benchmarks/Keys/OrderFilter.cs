namespace Cacheweave.Benchmarks.Keys;

/// <summary>A small record argument, serialized by MessagePack's contractless resolver.</summary>
public sealed record OrderFilter(string Status, int Limit);
