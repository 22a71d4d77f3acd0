namespace Cacheweave.Resilience;

/// <summary>Describes a transition of a <see cref="CircuitBreaker"/>.</summary>
public sealed class CircuitStateChangedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="previousState">The state before the transition.</param>
    /// <param name="newState">The state after the transition.</param>
    public CircuitStateChangedEventArgs(CircuitState previousState, CircuitState newState)
    {
        PreviousState = previousState;
        NewState = newState;
    }

    /// <summary>The state before the transition.</summary>
    public CircuitState PreviousState { get; }

    /// <summary>The state after the transition.</summary>
    public CircuitState NewState { get; }
}
