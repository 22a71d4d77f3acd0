namespace Cacheweave.Serialization;

/// <summary>The bounds every value serializer applies to the object graph of a cached value.</summary>
internal static class ValueGraphLimits
{
    /// <summary>The deepest nesting of objects and collections a value may have, written or read.</summary>
    public const int MaxDepth = 64;
}
