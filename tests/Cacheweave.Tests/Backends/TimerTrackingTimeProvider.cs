namespace Cacheweave.Tests.Backends;

/// <summary>A clock that delegates to another and counts the timers created on it that are not yet disposed.</summary>
internal sealed class TimerTrackingTimeProvider(TimeProvider inner) : TimeProvider
{
    private int _created;
    private int _active;

    public int CreatedTimers => Volatile.Read(ref _created);

    public int ActiveTimers => Volatile.Read(ref _active);

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = inner.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _created);
        Interlocked.Increment(ref _active);
        return new TrackedTimer(timer, this);
    }

    private sealed class TrackedTimer(ITimer timer, TimerTrackingTimeProvider owner) : ITimer
    {
        private int _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period) => timer.Change(dueTime, period);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._active);
            }

            timer.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
