namespace Cacheweave.Resilience;

/// <summary>
/// Stops calls to a failing dependency for a while, then lets a single probe through to find out whether it
/// has recovered. Closed → (N consecutive failures) → Open → (break duration) → HalfOpen → (probe succeeds) → Closed,
/// or (probe fails) → Open again.
/// </summary>
/// <remarks>
/// <para>
/// The breaker does not run calls itself: a caller asks <see cref="TryAcquire"/>, and when it may go ahead,
/// reports how the call ended with exactly one of <see cref="RecordSuccess"/>, <see cref="RecordFailure"/> or
/// <see cref="RecordCancellation"/>. That keeps the hot path free of delegates and exceptions: a refused call
/// costs one volatile read and a time stamp.
/// </para>
/// <para>
/// Safe for concurrent use. Outcomes are attributed to the state the breaker is in when they are recorded.
/// <see cref="StateChanged"/> is raised outside the breaker's lock, on the thread that caused the transition;
/// handlers should be quick and must not throw.
/// </para>
/// </remarks>
public sealed class CircuitBreaker
{
    private readonly Lock _gate = new();
    private readonly int _failureThreshold;
    private readonly TimeSpan _breakDuration;
    private readonly TimeProvider _timeProvider;
    private volatile CircuitState _state;
    private int _consecutiveFailures;
    private long _openedAt;
    private bool _probeInFlight;

    /// <summary>Creates a closed circuit breaker.</summary>
    /// <param name="options">The settings; <see langword="null"/> takes the defaults.</param>
    /// <param name="timeProvider">The clock measuring the break duration; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting in <paramref name="options"/> is out of range.</exception>
    public CircuitBreaker(CircuitBreakerOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new CircuitBreakerOptions();
        options.Validate();
        _failureThreshold = options.FailureThreshold;
        _breakDuration = options.BreakDuration;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Raised after each state transition.</summary>
    public event EventHandler<CircuitStateChangedEventArgs>? StateChanged;

    /// <summary>The current state.</summary>
    public CircuitState State => _state;

    /// <summary>Asks whether a call may go ahead now.</summary>
    /// <returns>
    /// <see langword="true"/> when the circuit is closed, or when it lets this call through as the probe;
    /// the caller must then report the outcome. <see langword="false"/> when the call must not be made.
    /// </returns>
    public bool TryAcquire()
    {
        if (_state == CircuitState.Closed)
        {
            return true;
        }

        CircuitStateChangedEventArgs? transition = null;
        bool acquired;
        lock (_gate)
        {
            switch (_state)
            {
                case CircuitState.Closed:
                    acquired = true;
                    break;
                case CircuitState.Open when _timeProvider.GetElapsedTime(_openedAt) >= _breakDuration:
                    _state = CircuitState.HalfOpen;
                    _probeInFlight = true;
                    transition = new CircuitStateChangedEventArgs(CircuitState.Open, CircuitState.HalfOpen);
                    acquired = true;
                    break;
                case CircuitState.HalfOpen when !_probeInFlight:
                    _probeInFlight = true;
                    acquired = true;
                    break;
                default:
                    acquired = false;
                    break;
            }
        }

        Raise(transition);
        return acquired;
    }

    /// <summary>Reports that an acquired call succeeded. A successful probe closes the circuit.</summary>
    public void RecordSuccess()
    {
        if (_state == CircuitState.Closed)
        {
            // Avoid writing the shared cache line on every success of a healthy dependency.
            if (Volatile.Read(ref _consecutiveFailures) != 0)
            {
                Interlocked.Exchange(ref _consecutiveFailures, 0);
            }

            return;
        }

        CircuitStateChangedEventArgs? transition = null;
        lock (_gate)
        {
            if (_state == CircuitState.HalfOpen)
            {
                _state = CircuitState.Closed;
                _probeInFlight = false;
                Volatile.Write(ref _consecutiveFailures, 0);
                transition = new CircuitStateChangedEventArgs(CircuitState.HalfOpen, CircuitState.Closed);
            }
        }

        Raise(transition);
    }

    /// <summary>
    /// Reports that an acquired call failed. The threshold-th consecutive failure opens a closed circuit;
    /// a failed probe opens it again for another break duration.
    /// </summary>
    public void RecordFailure()
    {
        if (_state == CircuitState.Closed && Interlocked.Increment(ref _consecutiveFailures) < _failureThreshold)
        {
            return;
        }

        CircuitStateChangedEventArgs? transition = null;
        lock (_gate)
        {
            var opens = _state == CircuitState.HalfOpen
                || (_state == CircuitState.Closed && Volatile.Read(ref _consecutiveFailures) >= _failureThreshold);
            if (opens)
            {
                transition = new CircuitStateChangedEventArgs(_state, CircuitState.Open);
                _state = CircuitState.Open;
                _openedAt = _timeProvider.GetTimestamp();
                _probeInFlight = false;
            }
        }

        Raise(transition);
    }

    /// <summary>
    /// Reports that an acquired call ended without an outcome (for example, its caller cancelled it).
    /// A cancelled probe frees the way for the next probe; otherwise nothing changes.
    /// </summary>
    public void RecordCancellation()
    {
        if (_state != CircuitState.HalfOpen)
        {
            return;
        }

        lock (_gate)
        {
            if (_state == CircuitState.HalfOpen)
            {
                _probeInFlight = false;
            }
        }
    }

    private void Raise(CircuitStateChangedEventArgs? transition)
    {
        if (transition is not null)
        {
            StateChanged?.Invoke(this, transition);
        }
    }
}
