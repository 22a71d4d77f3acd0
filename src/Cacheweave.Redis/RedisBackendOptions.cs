using Cacheweave.Serialization;

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

    /// <summary>
    /// Turns values into bytes and back; <see langword="null"/> (the default) for <see cref="MessagePackCacheValueSerializer"/>.
    /// Processes sharing a key prefix must use the same serializer: a value written by another is a miss.
    /// </summary>
    public ICacheValueSerializer? ValueSerializer { get; set; }

    /// <summary>
    /// The largest serialized value, in bytes before compression, that is written to Redis. A larger value is not
    /// written: <see cref="RedisBackend.PutAsync{T}"/> throws <see cref="CacheValueRejectedException"/> (reason
    /// <see cref="CacheValueRejectionReason.TooLarge"/>) before anything is sent, and cached proxies return it uncached.
    /// Stored values larger than this are read as misses. Default 1 MiB (1,048,576), as HybridCache's default.
    /// </summary>
    public int MaximumValueSize { get; set; } = DefaultMaximumValueSize;

    /// <summary>
    /// Serialized values of at least this many bytes are LZ4-compressed before they are written, when that makes them
    /// smaller; <see langword="null"/> never compresses. Default <see cref="DefaultCompressionThreshold"/> bytes.
    /// Reading handles compressed and plain values whatever this setting, so it can differ between processes.
    /// </summary>
    public int? CompressionThreshold { get; set; } = DefaultCompressionThreshold;

    /// <summary>The default of <see cref="MaximumValueSize"/>: 1 MiB.</summary>
    public const int DefaultMaximumValueSize = 1024 * 1024;

    /// <summary>The default of <see cref="CompressionThreshold"/>.</summary>
    public const int DefaultCompressionThreshold = 4 * 1024;

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

        if (MaximumValueSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaximumValueSize), MaximumValueSize, "RedisBackendOptions.MaximumValueSize must be at least 1 byte.");
        }

        if (CompressionThreshold is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CompressionThreshold), CompressionThreshold, "RedisBackendOptions.CompressionThreshold must be at least 1 byte, or null to never compress.");
        }

        if (ScanPageSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ScanPageSize), ScanPageSize, "RedisBackendOptions.ScanPageSize must be at least 1.");
        }
    }
}
