using System.Linq.Expressions;
using Cacheweave.Tiers;

namespace Cacheweave.Interception;

/// <summary>
/// Drops cached results of <c>[Cached]</c> methods, computing exactly the keys the cached proxy uses. Registered by
/// <c>services.AddCacheweave()</c> (and <c>AddCachedProxy</c>); inject it where data changes.
/// </summary>
/// <example>
/// <code>
/// await invalidator.InvalidateAsync&lt;IUserService&gt;(s =&gt; s.GetUserAsync(42));
/// await invalidator.InvalidateAllAsync&lt;IUserService&gt;(s =&gt; s.SearchAsync(default!));
/// </code>
/// </example>
public interface ICacheInvalidator
{
    /// <summary>Drops the cached result of one call.</summary>
    /// <typeparam name="TService">The interface registered with <c>AddCachedProxy</c>.</typeparam>
    /// <param name="invocation">
    /// The call whose entry to drop, written as a call on the lambda's parameter, e.g. <c>s =&gt; s.GetUserAsync(42)</c>.
    /// Its arguments are evaluated once, here; <see cref="CancellationToken"/> and <c>[NotPartOfKey]</c> arguments are ignored.
    /// </param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>
    /// <see langword="true"/> when an entry was removed from every tier; <see langword="false"/> when there was none, or
    /// when a shared tier could not be reached and the removal is pending (use <see cref="InvalidateWithResultAsync"/> to
    /// tell these apart).
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="invocation"/> is not a call of a <typeparamref name="TService"/> method on the lambda's parameter, or an argument cannot be part of a key.</exception>
    /// <exception cref="InvalidOperationException"><typeparamref name="TService"/> is not registered with <c>AddCachedProxy</c>, or the method is not <c>[Cached]</c>.</exception>
    ValueTask<bool> InvalidateAsync<TService>(Expression<Func<TService, object?>> invocation, CancellationToken cancellationToken = default)
        where TService : class;

    /// <summary>
    /// Drops the cached result of one call and reports whether the removal reached every tier of the method's backend.
    /// </summary>
    /// <typeparam name="TService">The interface registered with <c>AddCachedProxy</c>.</typeparam>
    /// <param name="invocation">The call whose entry to drop, as for <see cref="InvalidateAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>
    /// <see cref="CacheInvalidationResult.Removed"/> or <see cref="CacheInvalidationResult.NotFound"/> when every tier
    /// answered; <see cref="CacheInvalidationResult.Pending"/> when a shared tier (Redis) could not be reached: this process
    /// no longer serves the old value, and the removal is replayed to the shared tier and to the other processes as soon
    /// as it answers again.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="invocation"/> is not a call of a <typeparamref name="TService"/> method on the lambda's parameter, or an argument cannot be part of a key.</exception>
    /// <exception cref="InvalidOperationException"><typeparamref name="TService"/> is not registered with <c>AddCachedProxy</c>, or the method is not <c>[Cached]</c>.</exception>
    ValueTask<CacheInvalidationResult> InvalidateWithResultAsync<TService>(Expression<Func<TService, object?>> invocation, CancellationToken cancellationToken = default)
        where TService : class;

    /// <summary>
    /// Drops every cached result of one method, in every process that shares its backend. The method must be
    /// <c>[Cached(Versioned = true)]</c>; the call renews its version, so earlier entries are never read again and age out
    /// of the backend by expiry or eviction.
    /// </summary>
    /// <typeparam name="TService">The interface registered with <c>AddCachedProxy</c>.</typeparam>
    /// <param name="method">
    /// A call of the method, e.g. <c>s =&gt; s.SearchAsync(default!)</c>; only the method (and, for a generic method, its type
    /// arguments) counts, the arguments are not evaluated.
    /// </param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="ArgumentException"><paramref name="method"/> is not a call of a <typeparamref name="TService"/> method on the lambda's parameter.</exception>
    /// <exception cref="InvalidOperationException"><typeparamref name="TService"/> is not registered with <c>AddCachedProxy</c>, or the method is not <c>[Cached]</c> or not versioned.</exception>
    ValueTask InvalidateAllAsync<TService>(Expression<Func<TService, object?>> method, CancellationToken cancellationToken = default)
        where TService : class;

    /// <summary>
    /// Drops every cached entry carrying <paramref name="tag"/> (see <see cref="CachedAttribute.Tags"/>), in every process
    /// that shares the backends: the tag's version is removed from every backend a tagged method of a proxied service
    /// uses, so the keys built from it are never computed again and age out of the backend. O(1) per backend, however many
    /// entries carry the tag; a call racing the invalidation cannot store a value that survives it.
    /// </summary>
    /// <param name="tag">The tag as the templates format it, e.g. <c>"user:42"</c>.</param>
    /// <param name="cancellationToken">Cancels the wait; a removal already sent may still land.</param>
    /// <returns>
    /// <see cref="CacheInvalidationResult.Removed"/> when some backend held a version of the tag (entries may have carried it),
    /// <see cref="CacheInvalidationResult.NotFound"/> when none did (no entry carries it), and
    /// <see cref="CacheInvalidationResult.Pending"/> when a shared tier could not be reached: this process no longer serves the
    /// tagged entries, and the removal is replayed to the shared tier and the other processes as soon as it answers again.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="tag"/> is null or empty.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<CacheInvalidationResult> InvalidateTagAsync(string tag, CancellationToken cancellationToken = default);

    /// <summary>Drops every cached entry carrying any of <paramref name="tags"/>, as <see cref="InvalidateTagAsync"/> does for one.</summary>
    /// <param name="tags">The tags, e.g. <c>new[] { "user:42", "tenant:7" }</c>.</param>
    /// <param name="cancellationToken">Cancels the wait; removals already sent may still land.</param>
    /// <returns><see cref="CacheInvalidationResult.Pending"/> when any removal is pending; otherwise <see cref="CacheInvalidationResult.Removed"/> when any tag had a version; otherwise <see cref="CacheInvalidationResult.NotFound"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tags"/> is null.</exception>
    /// <exception cref="ArgumentException">A tag is null or empty.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<CacheInvalidationResult> InvalidateTagsAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes every entry of one backend, on every process that shares it: on a two-level backend the shared tier's
    /// keys under its prefix, this process's L1, and a message that clears every other process's L1. Tag and method
    /// versions go too, so the next calls start cold.
    /// </summary>
    /// <param name="backendName">The named backend, as registered with <c>AddBackend(name, …)</c>; <see langword="null"/> for the default backend.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="ArgumentException">No backend of that name is registered.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask ClearAsync(string? backendName = null, CancellationToken cancellationToken = default);
}
