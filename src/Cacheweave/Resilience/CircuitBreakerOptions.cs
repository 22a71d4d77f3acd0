namespace Cacheweave.Resilience;

/// <summary>Settings of a <see cref="CircuitBreaker"/>.</summary>
public sealed class CircuitBreakerOptions
{
    /// <summary>How many consecutive failures open the circuit. Default 3; at least 1.</summary>
    public int FailureThreshold { get; set; } = 3;

    /// <summary>How long an open circuit refuses calls before it lets one probe through. Default 2 seconds; greater than zero.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it.</exception>
    internal void Validate()
    {
        if (FailureThreshold < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(FailureThreshold), FailureThreshold, "CircuitBreakerOptions.FailureThreshold must be at least 1.");
        }

        if (BreakDuration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BreakDuration), BreakDuration, "CircuitBreakerOptions.BreakDuration must be greater than zero.");
        }
    }
}
