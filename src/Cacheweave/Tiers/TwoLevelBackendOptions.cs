using Cacheweave.Resilience;

namespace Cacheweave.Tiers;

/// <summary>Settings of a <see cref="TwoLevelBackend"/>.</summary>
public sealed class TwoLevelBackendOptions
{
    /// <summary>
    /// The longest a value stays in the local tier (L1) before it is read again from the shared tier (L2).
    /// It bounds how long a process can serve a stale value when an invalidation is lost. Default 1 minute;
    /// greater than zero. A copy never outlives the shared entry either.
    /// </summary>
    public TimeSpan MaxLocalTimeToLive { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Timeout and circuit breaker put around the shared tier, unless it is already a
    /// <see cref="ResilientCacheBackend"/> (then its own settings apply).
    /// </summary>
    public ResilientCacheBackendOptions SharedTierResilience { get; set; } = new();

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it.</exception>
    /// <exception cref="ArgumentNullException"><see cref="SharedTierResilience"/> is null.</exception>
    internal void Validate()
    {
        if (MaxLocalTimeToLive <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLocalTimeToLive), MaxLocalTimeToLive, "TwoLevelBackendOptions.MaxLocalTimeToLive must be greater than zero.");
        }

        if (SharedTierResilience is null)
        {
            throw new ArgumentNullException(nameof(SharedTierResilience), "TwoLevelBackendOptions.SharedTierResilience must not be null.");
        }

        SharedTierResilience.Validate();
    }
}
