namespace Cacheweave.Resilience;

/// <summary>Settings of a <see cref="ResilientCacheBackend"/>.</summary>
public sealed class ResilientCacheBackendOptions
{
    /// <summary>
    /// How long a read, write or removal may take before it is abandoned and treated as a failure. After one has timed
    /// out, every further call fails at once until a probe finds the tier answering again, so a caller waits at most
    /// this long in all. Default 500 ms; greater than zero. Clearing and counting, which visit every entry, are not
    /// bounded by it.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// When the circuits open and how long they stay open. Reads and writes have a circuit each, with these settings:
    /// a tier that answers reads but refuses writes (a full Redis) keeps serving reads.
    /// </summary>
    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>
    /// How many keys with an undelivered removal (or an undelivered overwrite) are remembered for replay. Beyond it, the
    /// keys are forgotten and the whole tier is cleared instead when it answers again. Default 10,000; at least 1.
    /// </summary>
    public int MaxPendingInvalidations { get; set; } = 10_000;

    /// <summary>
    /// How often a tier that timed out, or that owes replayed removals, is tried again in the background. Default
    /// 250 ms; greater than zero.
    /// </summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it.</exception>
    /// <exception cref="ArgumentNullException"><see cref="CircuitBreaker"/> is null.</exception>
    internal void Validate()
    {
        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "ResilientCacheBackendOptions.Timeout must be greater than zero.");
        }

        if (CircuitBreaker is null)
        {
            throw new ArgumentNullException(nameof(CircuitBreaker), "ResilientCacheBackendOptions.CircuitBreaker must not be null.");
        }

        if (MaxPendingInvalidations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPendingInvalidations), MaxPendingInvalidations, "ResilientCacheBackendOptions.MaxPendingInvalidations must be at least 1.");
        }

        if (ProbeInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ProbeInterval), ProbeInterval, "ResilientCacheBackendOptions.ProbeInterval must be greater than zero.");
        }

        CircuitBreaker.Validate();
    }
}
