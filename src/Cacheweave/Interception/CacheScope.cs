namespace Cacheweave.Interception;

/// <summary>
/// Per-call control of cached methods (and of <c>GetOrCreateAsync</c>) for the code inside a <c>using</c> block:
/// <see cref="Bypass"/> skips the cache, <see cref="Refresh"/> runs the method and overwrites the entry.
/// </summary>
/// <remarks>
/// <para>
/// A scope is ambient: it covers every cached call made in the current async flow until it is disposed, including
/// calls after an <c>await</c> and in tasks started inside it. Scopes nest; the innermost one wins, and disposing it
/// restores the one around it. A scope set inside an async method does not reach back into its caller.
/// </para>
/// <para>
/// Background refreshes never run inside the scope of the call that started them.
/// </para>
/// </remarks>
/// <example><code>
/// using (CacheScope.Refresh())
/// {
///     await catalog.GetProductAsync(7); // runs the method and stores its result
/// }
/// </code></example>
public sealed class CacheScope : IDisposable
{
    private static readonly AsyncLocal<CacheScope?> s_current = new();

    // Scopes not disposed yet, in any flow: while there are none, a cached call does not read the AsyncLocal.
    private static int s_open;

    private readonly CacheScope? _outer;
    private readonly CacheScopeKind _kind;
    private int _disposed;

    private CacheScope(CacheScopeKind kind)
    {
        _kind = kind;
        _outer = s_current.Value;
        Interlocked.Increment(ref s_open);
        s_current.Value = this;
    }

    /// <summary>Starts a scope in which cached calls skip the cache: the method runs, nothing is read or stored.</summary>
    /// <returns>The scope; dispose it to end it.</returns>
    public static CacheScope Bypass() => new(CacheScopeKind.Bypass);

    /// <summary>
    /// Starts a scope in which cached calls run the method (one caller per key, as always) and overwrite their entry
    /// with the result, whether or not the entry was fresh. A result that is not stored (a null not cached, a result
    /// refused or too large) removes the entry instead, so that no later call gets the value it was to replace.
    /// </summary>
    /// <returns>The scope; dispose it to end it.</returns>
    public static CacheScope Refresh() => new(CacheScopeKind.Refresh);

    /// <summary>What the innermost scope of the current flow asks for.</summary>
    internal static CacheScopeKind CurrentKind => Volatile.Read(ref s_open) == 0 ? CacheScopeKind.None : s_current.Value?._kind ?? CacheScopeKind.None;

    /// <summary>Ends the scope and restores the one around it. Disposing twice does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        s_current.Value = _outer;
        Interlocked.Decrement(ref s_open);
    }
}
