namespace Cacheweave.Diagnostics;

/// <summary>
/// The tag (attribute) names and values of Cacheweave's instruments and spans. Names are namespaced under
/// <c>cacheweave.</c> as the OpenTelemetry naming rules ask of a library's own attributes; <c>error.type</c> is the
/// semantic conventions' own.
/// </summary>
internal static class TelemetryTags
{
    public const string Service = "cacheweave.service";
    public const string Method = "cacheweave.method";
    public const string Backend = "cacheweave.backend";
    public const string Outcome = "cacheweave.outcome";
    public const string Operation = "cacheweave.operation";
    public const string Tier = "cacheweave.tier";
    public const string Key = "cacheweave.key";
    public const string LookupResult = "cacheweave.lookup.result";
    public const string Circuit = "cacheweave.circuit";
    public const string CircuitState = "cacheweave.circuit.state";
    public const string ErrorType = "error.type";

    /// <summary>The name of the backend cached methods use when <c>[Cached]</c> names none.</summary>
    public const string DefaultBackend = "default";

    /// <summary>An in-memory backend: used alone, or as the L1 of a two-level backend.</summary>
    public const string LocalTier = "local";

    /// <summary>A shared tier (such as Redis) behind its timeout and circuit breakers.</summary>
    public const string SharedTier = "shared";

    /// <summary><c>error.type</c> of a shared-tier call that got no answer: refused by an open circuit, failed or timed out.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>The <c>cacheweave.outcome</c> value of <paramref name="outcome"/>.</summary>
    public static string NameOf(CacheCallOutcome outcome) => outcome switch
    {
        CacheCallOutcome.Hit => "hit",
        CacheCallOutcome.Miss => "miss",
        CacheCallOutcome.StaleServed => "stale_served",
        CacheCallOutcome.EagerRefresh => "eager_refresh",
        CacheCallOutcome.FailSafe => "fail_safe",
        CacheCallOutcome.Bypass => "bypass",
        _ => outcome.ToString(),
    };

    /// <summary>The <c>cacheweave.circuit.state</c> value of <paramref name="state"/>.</summary>
    public static string NameOf(Resilience.CircuitState state) => state switch
    {
        Resilience.CircuitState.Closed => "closed",
        Resilience.CircuitState.Open => "open",
        Resilience.CircuitState.HalfOpen => "half_open",
        _ => state.ToString(),
    };
}
