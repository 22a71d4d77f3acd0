using Cacheweave.Backends;

namespace Cacheweave.Tiers;

/// <summary>The outcome of <see cref="ICacheBackendWithExpiry.GetWithExpiryAsync{T}"/>.</summary>
/// <typeparam name="T">The type of the value.</typeparam>
/// <param name="Result">The lookup result: a miss, or a hit (possibly a cached null).</param>
/// <param name="RemainingTimeToLive">
/// On a hit, how long the entry has left to live; <see langword="null"/> when it does not expire or the
/// backend cannot tell. Always <see langword="null"/> on a miss.
/// </param>
public readonly record struct ExpiringCacheResult<T>(CacheResult<T> Result, TimeSpan? RemainingTimeToLive);
