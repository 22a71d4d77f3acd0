namespace Cacheweave.FailSafe;

/// <summary>What the settings of an <see cref="EntryLifetime"/> are called where the user set them, for messages.</summary>
internal sealed record EntryLifetimeNames(
    string TimeToLive, string NullTimeToLive, string FailSafe, string FailSafeThrottle, string EagerRefresh, string SoftTimeout, string HardTimeout, string Jitter)
{
    /// <summary>The names of <c>[Cached]</c>'s properties.</summary>
    public static EntryLifetimeNames Attribute { get; } = new(
        "TtlSeconds", "NullTtlSeconds", "FailSafeSeconds", "FailSafeThrottleSeconds", "EagerRefresh", "SoftTimeoutMs", "HardTimeoutMs", "JitterSeconds");

    /// <summary>The names of <see cref="Backends.GetOrCreateOptions"/>' properties.</summary>
    public static EntryLifetimeNames Options { get; } = new(
        "TimeToLive", "NullTimeToLive", "FailSafe", "FailSafeThrottle", "EagerRefresh", "SoftTimeout", "HardTimeout", "Jitter");
}
