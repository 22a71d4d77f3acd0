namespace Cacheweave.Redis.Tests.Faults;

/// <summary>
/// The writer raised <see cref="Key"/> to <see cref="Version"/> in the source of truth, then called
/// <c>InvalidateAsync</c>, which ran from <see cref="Start"/> to <see cref="End"/> (UTC ticks) and returned <see cref="Result"/>.
/// </summary>
public readonly record struct InvalidationRecord(long Start, long End, string Key, long Version, bool Result)
{
    public TimeSpan Duration => TimeSpan.FromTicks(End - Start);
}
