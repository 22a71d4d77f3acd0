using Cacheweave.Interception;

namespace Cacheweave.FailSafe;

/// <summary>Reads the lifetime options of a <see cref="CachedAttribute"/> into an <see cref="EntryLifetime"/>.</summary>
internal static class AttributeLifetime
{
    /// <summary>Whether the attribute sets any lifetime option (and so the method stores envelopes).</summary>
    public static bool IsUsed(CachedAttribute attribute) =>
        attribute.FailSafeSeconds != 0 || attribute.FailSafeThrottleSeconds != 0 || attribute.EagerRefresh != 0 || attribute.SoftTimeoutMs != 0 ||
        attribute.HardTimeoutMs != 0 || attribute.JitterSeconds != 0 || attribute.Unless is not null || attribute.UnlessType is not null ||
        attribute.NullTtlSeconds != 0;

    /// <summary>Reads the options; returns <see langword="null"/> and what is wrong when they are invalid.</summary>
    public static EntryLifetime? Read(CachedAttribute attribute, out string? problem)
    {
        problem = CheckSeconds(nameof(CachedAttribute.FailSafeSeconds), attribute.FailSafeSeconds)
            ?? CheckSeconds(nameof(CachedAttribute.FailSafeThrottleSeconds), attribute.FailSafeThrottleSeconds)
            ?? CheckSeconds(nameof(CachedAttribute.JitterSeconds), attribute.JitterSeconds)
            ?? CheckSeconds(nameof(CachedAttribute.NullTtlSeconds), attribute.NullTtlSeconds)
            ?? CheckMilliseconds(nameof(CachedAttribute.SoftTimeoutMs), attribute.SoftTimeoutMs)
            ?? CheckMilliseconds(nameof(CachedAttribute.HardTimeoutMs), attribute.HardTimeoutMs)
            ?? CheckFraction(nameof(CachedAttribute.EagerRefresh), attribute.EagerRefresh);
        if (problem is not null)
        {
            return null;
        }

        var lifetime = new EntryLifetime
        {
            TimeToLive = Seconds(attribute.TtlSeconds),
            NullTimeToLive = Seconds(attribute.NullTtlSeconds),
            CacheNulls = attribute.CacheNulls,
            FailSafe = Seconds(attribute.FailSafeSeconds) ?? TimeSpan.Zero,
            FailSafeThrottle = Seconds(attribute.FailSafeThrottleSeconds) ?? TimeSpan.Zero,
            EagerRefresh = attribute.EagerRefresh,
            SoftTimeout = attribute.SoftTimeoutMs > 0 ? TimeSpan.FromMilliseconds(attribute.SoftTimeoutMs) : Timeout.InfiniteTimeSpan,
            HardTimeout = attribute.HardTimeoutMs > 0 ? TimeSpan.FromMilliseconds(attribute.HardTimeoutMs) : Timeout.InfiniteTimeSpan,
            Jitter = Seconds(attribute.JitterSeconds) ?? TimeSpan.Zero,
            LockTimeout = attribute.LockTimeoutSeconds > 0 ? TimeSpan.FromSeconds(attribute.LockTimeoutSeconds) : Timeout.InfiniteTimeSpan,
        };

        problem = lifetime.FindProblem(EntryLifetimeNames.Attribute);
        return problem is null ? lifetime : null;
    }

    private static TimeSpan? Seconds(double seconds) => seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;

    private static string? CheckSeconds(string name, double seconds) =>
        double.IsFinite(seconds) && seconds >= 0 && seconds <= TimeSpan.MaxValue.TotalSeconds / 4
            ? null
            : $"{name} = {seconds} is not a duration; give a positive number of seconds, or 0 for off";

    private static string? CheckMilliseconds(string name, int milliseconds) =>
        milliseconds >= 0 ? null : $"{name} = {milliseconds} is not a timeout; give a positive number of milliseconds, or 0 for none";

    private static string? CheckFraction(string name, double fraction) =>
        fraction == 0 || (fraction > 0 && fraction < 1)
            ? null
            : $"{name} = {fraction} is not a fraction of the time to live; give a number strictly between 0 and 1 (e.g. 0.8), or 0 for off";
}
