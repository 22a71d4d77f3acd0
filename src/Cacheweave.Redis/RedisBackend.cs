using System.Text;
using Cacheweave.Backends;
using Cacheweave.Redis.Serialization;
using Cacheweave.Resilience;
using Cacheweave.Tiers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Cacheweave.Redis;

/// <summary>
/// A cache tier in Redis, shared by every process that connects to the same server with the same key prefix.
/// Values are MessagePack-encoded (contractless, so records and plain classes need no attributes) and decoded in
/// MessagePack's untrusted-data mode as the type the reader names.
/// </summary>
/// <remarks>
/// <para>
/// Each entry is one Redis string under <see cref="RedisBackendOptions.KeyPrefix"/> + key. Its time to live is
/// the Redis expiry (millisecond precision, rounded up). A cached null is stored distinctly from a missing key.
/// Bytes under a key that do not decode as the requested type — foreign, truncated or hostile — are a miss and a
/// logged warning, never an exception and never an object of another type.
/// </para>
/// <para>
/// Redis faults (connection lost, timeouts) surface as StackExchange.Redis exceptions; wrap this backend in a
/// <see cref="Resilience.ResilientCacheBackend"/> or a <see cref="TwoLevelBackend"/> so that callers never see them.
/// A value that MessagePack cannot serialize throws <see cref="ArgumentException"/>.
/// </para>
/// </remarks>
public sealed class RedisBackend : ICacheBackendWithExpiry, ICacheTierProbe, IDisposable, IAsyncDisposable
{
    // GET and PTTL in one atomic round trip: the expiry always belongs to the value returned.
    private const string GetWithExpiryScript = "return { redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1]) }";

    // Redis rejects expiries whose absolute time overflows; anything this long is "never" for a cache.
    private static readonly TimeSpan s_longestExpiry = TimeSpan.FromDays(365 * 100);

    private readonly IConnectionMultiplexer _multiplexer;
    private readonly bool _ownsMultiplexer;
    private readonly IDatabase _database;
    private readonly RedisKey _prefix;
    private readonly string _prefixText;
    private readonly RedisValue _scanPattern;
    private readonly TimeSpan? _defaultTimeToLive;
    private readonly int _pageSize;
    private readonly ILogger _logger;
    private int _disposed;

    /// <summary>Creates a backend over an existing connection, which the caller keeps owning.</summary>
    /// <param name="multiplexer">The Redis connection.</param>
    /// <param name="options">The settings; <see langword="null"/> takes the defaults.</param>
    /// <param name="logger">Receives warnings about malformed values; <see langword="null"/> logs nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="multiplexer"/> is null.</exception>
    /// <exception cref="ArgumentException">A setting in <paramref name="options"/> is invalid; the message names it.</exception>
    public RedisBackend(IConnectionMultiplexer multiplexer, RedisBackendOptions? options = null, ILogger<RedisBackend>? logger = null)
        : this(multiplexer, ownsMultiplexer: false, options, logger)
    {
    }

    /// <summary>Creates a backend that closes <paramref name="multiplexer"/> on disposal when <paramref name="ownsMultiplexer"/> is set.</summary>
    internal RedisBackend(IConnectionMultiplexer multiplexer, bool ownsMultiplexer, RedisBackendOptions? options, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(multiplexer);
        options ??= new RedisBackendOptions();
        options.Validate();
        _multiplexer = multiplexer;
        _ownsMultiplexer = ownsMultiplexer;
        _database = multiplexer.GetDatabase(options.Database);
        _prefixText = options.KeyPrefix;
        _prefix = new RedisKey(options.KeyPrefix);
        _scanPattern = EscapeGlob(options.KeyPrefix) + "*";
        _defaultTimeToLive = options.DefaultTimeToLive;
        _pageSize = options.ScanPageSize;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The prefix of every key this backend writes.</summary>
    public string KeyPrefix => _prefixText;

    /// <summary>The Redis connection.</summary>
    public IConnectionMultiplexer Multiplexer => _multiplexer;

    /// <summary>
    /// Connects to Redis and creates a backend that owns the connection (disposing the backend closes it).
    /// The connection does not abort when the server is unreachable at first: it keeps retrying in the
    /// background, and commands fail fast instead of queueing while it is down.
    /// </summary>
    /// <param name="configuration">A StackExchange.Redis configuration string, such as <c>"127.0.0.1:6379"</c>.</param>
    /// <param name="options">The settings; <see langword="null"/> takes the defaults.</param>
    /// <param name="logger">Receives warnings about malformed values; <see langword="null"/> logs nothing.</param>
    /// <returns>The backend.</returns>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is null, empty or invalid, or a setting in <paramref name="options"/> is.</exception>
    public static RedisBackend Connect(string configuration, RedisBackendOptions? options = null, ILogger<RedisBackend>? logger = null)
    {
        var multiplexer = RedisConnectionFactory.Connect(configuration);
        try
        {
            return new RedisBackend(multiplexer, ownsMultiplexer: true, options, logger);
        }
        catch
        {
            multiplexer.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var stored = await _database.StringGetAsync(_prefix.Append(key)).ConfigureAwait(false);
        return Decode<T>(key, stored);
    }

    /// <inheritdoc />
    /// <remarks>Reads the value and its remaining expiry atomically in one round trip.</remarks>
    public async ValueTask<ExpiringCacheResult<T>> GetWithExpiryAsync<T>(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var reply = await _database.ScriptEvaluateAsync(GetWithExpiryScript, [_prefix.Append(key)]).ConfigureAwait(false);
        var parts = (RedisResult[]?)reply;
        if (parts is not { Length: 2 } || parts[0].IsNull)
        {
            return default;
        }

        var result = Decode<T>(key, (RedisValue)parts[0]);
        if (!result.HasValue)
        {
            return default;
        }

        var milliseconds = (long)parts[1];
        return new ExpiringCacheResult<T>(result, milliseconds >= 0 ? TimeSpan.FromMilliseconds(milliseconds) : null);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty, or MessagePack cannot serialize <paramref name="value"/>.</exception>
    public async ValueTask PutAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        byte[] bytes;
        try
        {
            bytes = RedisValueCodec.Encode(value);
        }
        catch (MessagePack.MessagePackSerializationException ex)
        {
            throw new ArgumentException(
                $"The value of type {value?.GetType() ?? typeof(T)} for cache key '{key}' cannot be serialized with MessagePack: {ex.Message}",
                nameof(value),
                ex);
        }

        await _database.StringSetAsync(_prefix.Append(key), bytes, ToExpiry(options?.TimeToLive ?? _defaultTimeToLive), When.Always)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        return await _database.KeyDeleteAsync(_prefix.Append(key)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Walks the keyspace of every primary with SCAN, matching this backend's prefix only, and removes what it
    /// finds with UNLINK in batches; never FLUSHDB. Keys written while the walk runs may survive it.
    /// </remarks>
    public async ValueTask ClearAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        long removed = 0;
        foreach (var server in PrimaryServers())
        {
            var clustered = server.ServerType == ServerType.Cluster;
            var batch = new List<RedisKey>(_pageSize);
            Task? pending = null;
            await foreach (var key in server.KeysAsync(_database.Database, _scanPattern, _pageSize).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                batch.Add(key);
                if (batch.Count == _pageSize)
                {
                    // Keep one UNLINK in flight while SCAN fetches the next page.
                    if (pending is not null)
                    {
                        await pending.ConfigureAwait(false);
                    }

                    pending = UnlinkAsync(batch, clustered);
                    removed += batch.Count;
                    batch = new List<RedisKey>(_pageSize);
                }
            }

            if (pending is not null)
            {
                await pending.ConfigureAwait(false);
            }

            if (batch.Count > 0)
            {
                await UnlinkAsync(batch, clustered).ConfigureAwait(false);
                removed += batch.Count;
            }
        }

        RedisLog.Cleared(_logger, removed, _prefixText);
    }

    /// <inheritdoc />
    /// <remarks>Walks the keyspace of every primary with SCAN, counting this backend's keys; O(keys in the database).</remarks>
    public async ValueTask<long> CountAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        long count = 0;
        foreach (var server in PrimaryServers())
        {
            await foreach (var unused in server.KeysAsync(_database.Database, _scanPattern, _pageSize).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                count++;
            }
        }

        return count;
    }

    /// <inheritdoc />
    /// <remarks>Sends PING to the server the default database lives on.</remarks>
    public async ValueTask PingAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        await _database.PingAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Closes the connection only when this backend opened it (<see cref="Connect"/>).</remarks>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsMultiplexer)
        {
            _multiplexer.Dispose();
        }
    }

    /// <inheritdoc />
    /// <remarks>Closes the connection only when this backend opened it (<see cref="Connect"/>).</remarks>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsMultiplexer)
        {
            await _multiplexer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string EscapeGlob(string text)
    {
        var escaped = new StringBuilder(text.Length + 4);
        foreach (var c in text)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    private static TimeSpan? ToExpiry(TimeSpan? timeToLive) => timeToLive switch
    {
        null => null,
        { } ttl when ttl >= s_longestExpiry => null,

        // PX takes whole milliseconds; round up so that a sub-millisecond expiry is not an invalid zero.
        { } ttl => TimeSpan.FromMilliseconds(Math.Ceiling(ttl.TotalMilliseconds)),
    };

    private CacheResult<T> Decode<T>(string key, RedisValue stored)
    {
        if (stored.IsNull)
        {
            return CacheResult<T>.Miss;
        }

        if (RedisValueCodec.TryDecode<T>((ReadOnlyMemory<byte>)stored, out var value, out var problem, out var exception))
        {
            return new CacheResult<T>(value);
        }

        RedisLog.MalformedValue(_logger, _prefixText + key, typeof(T), problem!, exception);
        return CacheResult<T>.Miss;
    }

    private IEnumerable<IServer> PrimaryServers() => _multiplexer.GetServers().Where(static server => !server.IsReplica);

    private Task UnlinkAsync(List<RedisKey> keys, bool clustered)
    {
        if (!clustered)
        {
            return _database.ExecuteAsync("UNLINK", keys.Cast<object>().ToArray());
        }

        // A multi-key command must stay within one hash slot on a cluster.
        return Task.WhenAll(keys
            .GroupBy(key => _multiplexer.GetHashSlot(key))
            .Select(slot => _database.ExecuteAsync("UNLINK", slot.Cast<object>().ToArray())));
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
