namespace Cacheweave.Redis;

/// <summary>Settings of a <see cref="RedisBackend"/>.</summary>
public sealed class RedisBackendOptions
{
    /// <summary>
    /// Prepended to every key this backend writes; <see cref="RedisBackend.ClearAsync"/> and
    /// <see cref="RedisBackend.CountAsync"/> touch only keys that start with it. Default <c>"cacheweave:"</c>;
    /// not null or empty.
    /// </summary>
    public string KeyPrefix { get; set; } = "cacheweave:";

    /// <summary>The Redis database number; -1 (the default) for the connection's default database.</summary>
    public int Database { get; set; } = -1;

    /// <summary>
    /// The time to live of an entry written without one; <see langword="null"/> (the default) keeps such entries
    /// until Redis evicts them.
    /// </summary>
    public TimeSpan? DefaultTimeToLive { get; set; }

    /// <summary>How many keys one SCAN step asks for, and one UNLINK removes, when clearing or counting. Default 1,000.</summary>
    public int ScanPageSize { get; set; } = 1_000;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException"><see cref="KeyPrefix"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it.</exception>
    internal void Validate()
    {
        if (string.IsNullOrEmpty(KeyPrefix))
        {
            throw new ArgumentException("RedisBackendOptions.KeyPrefix must not be null or empty: clearing would otherwise remove every key of the database.", nameof(KeyPrefix));
        }

        if (Database < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(Database), Database, "RedisBackendOptions.Database must be -1 (the default database) or a database number.");
        }

        if (DefaultTimeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultTimeToLive), ttl, "RedisBackendOptions.DefaultTimeToLive must be greater than zero or null.");
        }

        if (ScanPageSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ScanPageSize), ScanPageSize, "RedisBackendOptions.ScanPageSize must be at least 1.");
        }
    }
}
