using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends;

/// <summary>
/// A fake clock that runs one queued action on the thread that next asks it the time, the way
/// <see cref="FakeTimeProvider"/> runs due timer callbacks from <see cref="FakeTimeProvider.GetTimestamp"/>.
/// </summary>
internal sealed class CallingBackTimeProvider : TimeProvider
{
    private readonly FakeTimeProvider _inner = new();
    private Action? _next;

    public override long TimestampFrequency => _inner.TimestampFrequency;

    /// <summary>Runs <paramref name="action"/> inside the next call to <see cref="GetTimestamp"/>.</summary>
    public void OnNextTimestamp(Action action) => Volatile.Write(ref _next, action);

    public override long GetTimestamp()
    {
        Interlocked.Exchange(ref _next, null)?.Invoke();
        return _inner.GetTimestamp();
    }

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _inner.CreateTimer(callback, state, dueTime, period);
}
