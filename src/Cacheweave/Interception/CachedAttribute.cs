namespace Cacheweave.Interception;

/// <summary>
/// Caches the results of an interface method (or, on an interface, of every method it declares that returns a value)
/// when the service is registered with <c>services.AddCachedProxy&lt;TService&gt;()</c>. Calls with equal arguments
/// return the cached result without running the method.
/// </summary>
/// <remarks>
/// <para>
/// A cached method returns <c>Task&lt;T&gt;</c>, <c>ValueTask&lt;T&gt;</c> or a synchronous <c>T</c>. Marking a method that
/// returns <see langword="void"/>, <see cref="Task"/>, <see cref="ValueTask"/> or <c>IAsyncEnumerable&lt;T&gt;</c>, or
/// one with <c>ref</c>/<c>out</c> parameters, fails when the proxy is registered. An attribute on an interface applies to the
/// methods declared by that interface which return a value, and leaves the others uncached.
/// </para>
/// <para>
/// An attribute on a method replaces the interface's attribute as a whole: its settings are not merged.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Interface, Inherited = false)]
public sealed class CachedAttribute : Attribute
{
    /// <summary>
    /// The time to live of each entry, in seconds (fractions allowed); 0, the default, takes the backend's default
    /// (for a capacity-only backend: until evicted). Negative or non-finite values fail at registration.
    /// </summary>
    public double TtlSeconds { get; set; }

    /// <summary>
    /// The name of the backend to use, as registered with <c>AddCacheweave(b =&gt; b.AddBackend(name, …))</c> or as a
    /// keyed <c>ICacheBackend</c> service; <see langword="null"/>, the default, uses the default backend. An unknown name
    /// fails at registration.
    /// </summary>
    public string? Backend { get; set; }

    /// <summary>
    /// The readable part of the keys, <c>cw:&lt;prefix&gt;:&lt;hash&gt;</c>; <see langword="null"/>, the default, uses the name
    /// of the interface that declares the method (e.g. <c>IUserService</c>). The prefix only groups keys for people reading
    /// them: the hash always covers the full method identity, so two methods never share a key.
    /// </summary>
    public string? KeyPrefix { get; set; }

    /// <summary>
    /// Whether a <see langword="null"/> result is cached (the default) so that the next call does not run the method;
    /// when <see langword="false"/>, a null result is returned but not stored.
    /// </summary>
    public bool CacheNulls { get; set; } = true;

    /// <summary>
    /// Whether every entry of the method can be dropped at once with
    /// <see cref="ICacheInvalidator.InvalidateAllAsync{TService}"/>. A versioned method keeps a version number in the
    /// backend, folded into every key, and pays one extra backend read per call for it. Default <see langword="false"/>.
    /// </summary>
    public bool Versioned { get; set; }

    /// <summary>
    /// How long, in seconds (fractions allowed), a caller waits for another caller that is computing the same entry;
    /// 0, the default, waits as long as it takes. When the wait times out the caller runs the method itself, without
    /// the per-key lock, and stores its result as usual; a warning is logged. Negative, non-finite or longer than
    /// <see cref="int.MaxValue"/> milliseconds fails at registration.
    /// </summary>
    public double LockTimeoutSeconds { get; set; }

    /// <summary>
    /// Tags that every entry of the method carries, as templates over its parameters, e.g.
    /// <c>Tags = new[] { "user:{userId}", "tenant:{filter.TenantId}" }</c>: a hole names a parameter or one public property
    /// of a parameter, <c>{{</c> and <c>}}</c> are literal braces. Values are formatted culture-invariantly (numbers with the
    /// invariant culture, dates in ISO 8601 <c>"O"</c>, <see langword="null"/> as empty). Every entry whose call produced a tag
    /// is dropped, in every process sharing the backend, by <see cref="ICacheInvalidator.InvalidateTagAsync"/> or by an
    /// <see cref="InvalidatesCacheAttribute"/>. Each tag costs the call one backend read (its version); an unknown parameter
    /// or property or an unbalanced brace fails at registration. Default: no tags.
    /// </summary>
    public string[]? Tags { get; set; }
    // Lifetime options (issue 10). Any of them makes the method store each entry as a CacheEnvelope<T> (the value and
    // its logical expiry) with a backend expiry of TtlSeconds + JitterSeconds + FailSafeSeconds; see docs/resilience.md.

    /// <summary>
    /// Fail-safe: how long, in seconds, past an entry's time to live its value may still be served when the method throws
    /// or times out (instead of the exception). 0, the default, is off. Needs <see cref="TtlSeconds"/>.
    /// </summary>
    public double FailSafeSeconds { get; set; }

    /// <summary>
    /// After the method failed and fail-safe served the stale value: for how many seconds the stale value keeps being
    /// served without calling the method again. 0, the default, calls the method on every call. Needs <see cref="FailSafeSeconds"/>.
    /// </summary>
    public double FailSafeThrottleSeconds { get; set; }

    /// <summary>
    /// Eager refresh, as a fraction of the time to live strictly between 0 and 1 (e.g. 0.8): a hit after that point
    /// returns the current value at once and starts one background run of the method per key, whose result replaces the
    /// entry; its failure is logged and changes nothing. 0, the default, is off. Needs <see cref="TtlSeconds"/>.
    /// </summary>
    public double EagerRefresh { get; set; }

    /// <summary>
    /// When a stale value exists (see <see cref="FailSafeSeconds"/>) and the method takes longer than this many
    /// milliseconds, the caller gets the stale value and the method finishes in the background, refreshing the entry.
    /// 0, the default, is off. Needs <see cref="FailSafeSeconds"/>, and must be shorter than <see cref="HardTimeoutMs"/>.
    /// </summary>
    public int SoftTimeoutMs { get; set; }

    /// <summary>
    /// The longest a caller waits for the method, in milliseconds: then it gets the stale value if there is one, else a
    /// <see cref="TimeoutException"/>. The method may still complete and fill the entry. 0, the default, is off.
    /// </summary>
    public int HardTimeoutMs { get; set; }

    /// <summary>
    /// A random extra lifetime of up to this many seconds per entry, so that entries written together do not expire
    /// together. 0, the default, is off. Needs <see cref="TtlSeconds"/>.
    /// </summary>
    public double JitterSeconds { get; set; }

    /// <summary>
    /// The name of a static predicate on the service interface, <c>static bool Name(TResult result)</c>, that returns
    /// <see langword="true"/> for a result that must not be stored (e.g. an empty list); the result is still returned.
    /// <see langword="null"/>, the default, stores every result. A name that matches no such method fails at registration.
    /// </summary>
    public string? Unless { get; set; }

    /// <summary>
    /// A type implementing <see cref="ICacheCondition{T}"/> for the method's result type, with a public parameterless
    /// constructor, that says which results are not stored; the alternative to <see cref="Unless"/> (set one of them).
    /// </summary>
    public Type? UnlessType { get; set; }

    /// <summary>
    /// The time to live of a cached <see langword="null"/>, in seconds (usually shorter than <see cref="TtlSeconds"/>);
    /// 0, the default, gives nulls the same lifetime as other results. Needs <see cref="CacheNulls"/>.
    /// </summary>
    public double NullTtlSeconds { get; set; }
}
