namespace Cacheweave.Resilience;

/// <summary>The state of a <see cref="CircuitBreaker"/>.</summary>
public enum CircuitState
{
    /// <summary>Calls go through; consecutive failures are counted.</summary>
    Closed,

    /// <summary>Calls are refused until the break duration has passed.</summary>
    Open,

    /// <summary>The break duration has passed and one probe call is allowed through to test the dependency.</summary>
    HalfOpen,
}
