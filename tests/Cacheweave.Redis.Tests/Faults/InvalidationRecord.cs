namespace Cacheweave.Redis.Tests.Faults;

/// <summary>
/// The writer raised <see cref="Key"/> to <see cref="Version"/> in the source of truth, then called
/// <c>InvalidateWithResultAsync</c>, which ran from <see cref="Start"/> to <see cref="End"/> (UTC ticks) and
/// returned <see cref="Result"/> (Removed, NotFound or Pending).
/// </summary>
public readonly record struct InvalidationRecord(long Start, long End, string Key, long Version, string Result)
{
    public TimeSpan Duration => TimeSpan.FromTicks(End - Start);
}
