namespace Cacheweave.Interception;

/// <summary>
/// Says which results of a cached method are not stored, for <see cref="CachedAttribute.UnlessType"/>: for example,
/// do not cache an empty list. The result is still returned to the caller.
/// </summary>
/// <typeparam name="T">The method's result type (the <c>T</c> of <c>Task&lt;T&gt;</c>, <c>ValueTask&lt;T&gt;</c> or <c>T</c>).</typeparam>
/// <remarks>Implementations need a public parameterless constructor; one instance is created per method at registration and called from any thread.</remarks>
public interface ICacheCondition<in T>
{
    /// <summary>Whether <paramref name="result"/> must not be stored.</summary>
    /// <param name="result">What the method returned (may be <see langword="null"/>).</param>
    /// <returns><see langword="true"/> to return the result without storing it.</returns>
    bool Excludes(T result);
}
