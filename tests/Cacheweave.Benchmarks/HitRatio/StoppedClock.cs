namespace Cacheweave.Benchmarks.HitRatio;

/// <summary>
/// A clock that never moves and timers that never fire. The lab runs the TTL backends on it so that nothing
/// expires and no background sweep takes the backend's lock mid-replay: what is measured is the eviction
/// policy alone, the same on every run.
/// </summary>
public sealed class StoppedClock : TimeProvider
{
    /// <summary>The one instance.</summary>
    public static StoppedClock Instance { get; } = new();

    /// <inheritdoc />
    public override long GetTimestamp() => 1;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new IdleTimer();

    private sealed class IdleTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => default;
    }
}
