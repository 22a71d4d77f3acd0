namespace Cacheweave.Diagnostics;

/// <summary>
/// How a call to a cached method was answered. Each call has exactly one outcome; it is the <c>outcome</c> tag of the
/// <c>cacheweave.calls</c> counter.
/// </summary>
public enum CacheCallOutcome
{
    /// <summary>A fresh cached value was returned; the method did not run.</summary>
    Hit,

    /// <summary>No usable cached value existed; the method ran and its result was returned.</summary>
    Miss,

    /// <summary>A value past its time to live was returned while the method ran or was timed out.</summary>
    StaleServed,

    /// <summary>A fresh value was returned and a background run of the method was started to refresh it early.</summary>
    EagerRefresh,

    /// <summary>The method failed and a stale value was returned in place of its exception.</summary>
    FailSafe,

    /// <summary>The cache was skipped for the call (for example inside a bypass scope); the method ran.</summary>
    Bypass,
}
