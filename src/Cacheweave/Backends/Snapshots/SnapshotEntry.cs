namespace Cacheweave.Backends.Snapshots;

/// <summary>One entry of a snapshot, as saved and as read back.</summary>
/// <param name="Key">The cache key.</param>
/// <param name="Value">The value (a cached null is <see langword="null"/>).</param>
/// <param name="ExpiresAt">The wall-clock expiry; <see langword="null"/> when the entry does not expire.</param>
/// <param name="TimeToLive">The entry's time to live (the amount a sliding hit adds); <see langword="null"/> when it does not expire.</param>
/// <param name="Sliding">Whether hits push the expiry forward.</param>
internal readonly record struct SnapshotEntry(string Key, object? Value, DateTimeOffset? ExpiresAt, TimeSpan? TimeToLive, bool Sliding);
