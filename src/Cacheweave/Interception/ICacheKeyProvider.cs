using System.Linq.Expressions;

namespace Cacheweave.Interception;

/// <summary>
/// Shows the key the cached proxy of a service uses for a call, exactly as the proxy computes it, for inspecting and
/// debugging what is stored (for example to look an entry up in Redis). Registered by <c>services.AddCacheweave()</c>
/// (and <c>AddCachedProxy</c>).
/// </summary>
/// <example>
/// <code>
/// var key = keys.GetKey&lt;IUserService&gt;(s =&gt; s.GetUserAsync(42));   // "cw:users:3f5a…"
/// var versioned = await keys.GetKeyAsync&lt;IUserService&gt;(s =&gt; s.SearchAsync("ann"));
/// </code>
/// </example>
public interface ICacheKeyProvider
{
    /// <summary>Returns the key the proxy of <typeparamref name="TService"/> reads and writes for <paramref name="invocation"/>.</summary>
    /// <typeparam name="TService">The interface registered with <c>AddCachedProxy</c>.</typeparam>
    /// <param name="invocation">
    /// The call, written as a call on the lambda's parameter, e.g. <c>s =&gt; s.GetUserAsync(42)</c>. Its arguments are
    /// evaluated once, here; <see cref="CancellationToken"/> and <c>[NotPartOfKey]</c> arguments are ignored.
    /// </param>
    /// <returns>The key, <c>cw:&lt;prefix&gt;:&lt;64 hex digits&gt;</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="invocation"/> is not a call of a <typeparamref name="TService"/> method on the lambda's parameter, or an argument cannot be part of a key.</exception>
    /// <exception cref="InvalidOperationException">
    /// <typeparamref name="TService"/> is not registered with <c>AddCachedProxy</c>, the method is not <c>[Cached]</c>, or
    /// the method is <c>[Cached(Versioned = true)]</c> (its key depends on a version kept in the backend: use
    /// <see cref="GetKeyAsync{TService}"/>). The message names the service and the method.
    /// </exception>
    string GetKey<TService>(Expression<Func<TService, object?>> invocation)
        where TService : class;

    /// <summary>
    /// Returns the key the proxy of <typeparamref name="TService"/> uses for <paramref name="invocation"/> now. For a versioned
    /// method this reads the method's current version from its backend.
    /// </summary>
    /// <typeparam name="TService">The interface registered with <c>AddCachedProxy</c>.</typeparam>
    /// <param name="invocation">The call, e.g. <c>s =&gt; s.SearchAsync("ann")</c>; its arguments are evaluated once, here.</param>
    /// <param name="cancellationToken">Cancels the version read.</param>
    /// <returns>
    /// The key; <see langword="null"/> when the method is versioned and has no version yet, so that none of its calls is
    /// cached (the first cached call makes one).
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="invocation"/> is not a call of a <typeparamref name="TService"/> method on the lambda's parameter, or an argument cannot be part of a key.</exception>
    /// <exception cref="InvalidOperationException"><typeparamref name="TService"/> is not registered with <c>AddCachedProxy</c>, or the method is not <c>[Cached]</c>; the message names the service and the method.</exception>
    ValueTask<string?> GetKeyAsync<TService>(Expression<Func<TService, object?>> invocation, CancellationToken cancellationToken = default)
        where TService : class;
}
