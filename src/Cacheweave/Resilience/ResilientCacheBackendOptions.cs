namespace Cacheweave.Resilience;

/// <summary>Settings of a <see cref="ResilientCacheBackend"/>.</summary>
public sealed class ResilientCacheBackendOptions
{
    /// <summary>
    /// How long a read, write or removal may take before it is abandoned and treated as a failure.
    /// Default 500 ms; greater than zero. Clearing and counting, which visit every entry, are not bounded by it.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>When the circuit opens and how long it stays open.</summary>
    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();

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

        CircuitBreaker.Validate();
    }
}
