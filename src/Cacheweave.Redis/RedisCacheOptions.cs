using Cacheweave.Resilience;
using Cacheweave.Tiers;

namespace Cacheweave.Redis;

/// <summary>
/// Settings of the Redis tier registered by <c>UseRedis</c> / <c>AddRedisBackend</c>. The defaults work: change
/// <see cref="KeyPrefix"/> when several applications share one Redis database.
/// </summary>
public sealed class RedisCacheOptions
{
    /// <summary>Prepended to every Redis key; clearing touches only keys under it. Default <c>"cacheweave:"</c>; not empty.</summary>
    public string KeyPrefix { get; set; } = "cacheweave:";

    /// <summary>The Redis database number; -1 (the default) for the connection's default database.</summary>
    public int Database { get; set; } = -1;

    /// <summary>The time to live of entries written without one; <see langword="null"/> (the default) keeps them until Redis evicts them.</summary>
    public TimeSpan? DefaultTimeToLive { get; set; }

    /// <summary>
    /// How long a Redis read, write or removal may take before the caller stops waiting and treats it as a miss or a
    /// dropped write. Default 500 ms.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>When calls to Redis stop after failures, and how long before a probe. Defaults: 3 consecutive failures, 2 seconds.</summary>
    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>
    /// How many keys whose removal (or overwrite) Redis did not take are remembered for replay; beyond it Redis is
    /// cleared under <see cref="KeyPrefix"/> when it answers again. Default 10,000.
    /// </summary>
    public int MaxPendingInvalidations { get; set; } = 10_000;

    /// <summary>How often a Redis that timed out, or that owes replayed removals, is tried again. Default 250 ms.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Two-level only: the most entries the in-memory L1 of each process holds. Default 10,000.</summary>
    public int LocalCapacity { get; set; } = 10_000;

    /// <summary>
    /// Two-level only: the longest a value stays in a process's L1 before it is read from Redis again, bounding
    /// staleness if an invalidation is lost. Default 1 minute.
    /// </summary>
    public TimeSpan MaxLocalTimeToLive { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Two-level only: the Redis pub/sub channel carrying invalidations; <see langword="null"/> (the default) derives it
    /// from <see cref="KeyPrefix"/> (<c>KeyPrefix + "invalidation"</c>), so processes sharing a prefix share a channel.
    /// </summary>
    public string? InvalidationChannel { get; set; }

    internal string InvalidationChannelName => InvalidationChannel ?? KeyPrefix + "invalidation";

    internal RedisBackendOptions ToBackendOptions() => new()
    {
        KeyPrefix = KeyPrefix,
        Database = Database,
        DefaultTimeToLive = DefaultTimeToLive,
    };

    internal ResilientCacheBackendOptions ToResilienceOptions() => new()
    {
        Timeout = Timeout,
        CircuitBreaker = CircuitBreaker,
        MaxPendingInvalidations = MaxPendingInvalidations,
        ProbeInterval = ProbeInterval,
    };

    internal TwoLevelBackendOptions ToTwoLevelOptions() => new()
    {
        MaxLocalTimeToLive = MaxLocalTimeToLive,
        SharedTierResilience = ToResilienceOptions(),
    };

    /// <summary>Checks every setting, so that a bad one fails when the tier is configured rather than on first use.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    internal void Validate()
    {
        ToBackendOptions().Validate();
        ToResilienceOptions().Validate();
    }

    /// <summary>Checks the settings of a two-level tier as well.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    internal void ValidateTwoLevel()
    {
        Validate();
        ToTwoLevelOptions().Validate();
        if (LocalCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(LocalCapacity), LocalCapacity, "RedisCacheOptions.LocalCapacity must be at least 1.");
        }

        if (InvalidationChannel is { Length: 0 })
        {
            throw new ArgumentException("RedisCacheOptions.InvalidationChannel must not be empty; leave it null to derive it from KeyPrefix.", nameof(InvalidationChannel));
        }
    }
}
