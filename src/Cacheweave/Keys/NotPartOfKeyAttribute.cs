namespace Cacheweave.Keys;

/// <summary>
/// Leaves a parameter of a <c>[Cached]</c> method out of the cache key: calls that differ only in this argument
/// share one cache entry. Use it for arguments that do not change the result, such as a correlation id or a logger.
/// </summary>
/// <remarks><see cref="CancellationToken"/> parameters are always left out; they need no attribute.</remarks>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class NotPartOfKeyAttribute : Attribute
{
}
