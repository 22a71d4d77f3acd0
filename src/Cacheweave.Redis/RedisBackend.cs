using System.Text;
using Cacheweave.Backends;
using Cacheweave.Redis.Serialization;
using Cacheweave.Resilience;
using Cacheweave.Serialization;
using Cacheweave.Tiers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Cacheweave.Redis;

/// <summary>
/// A cache tier in Redis, shared by every process that connects to the same server with the same key prefix.
/// Values go through an <see cref="ICacheValueSerializer"/> (MessagePack, contractless, by default) behind a header
/// that names the serializer and the value's type, and are decoded as the type the reader names, as untrusted bytes.
/// </summary>
/// <remarks>
/// <para>
/// Each entry is one Redis string under <see cref="RedisBackendOptions.KeyPrefix"/> + key. Its time to live is
/// the Redis expiry (millisecond precision, rounded up); a sliding entry carries its window in a 9-byte envelope, and a
/// read that finds one pushes the expiry forward (a second round trip). A cached null is stored distinctly from a missing key.
/// Bytes under a key that do not decode as the requested type — written for another type or by another serializer,
/// foreign, truncated or hostile — are a miss and a logged warning, never an exception and never an object of another type.
/// </para>
/// <para>
/// Redis faults (connection lost, timeouts) surface as StackExchange.Redis exceptions; wrap this backend in a
/// <see cref="Resilience.ResilientCacheBackend"/> or a <see cref="TwoLevelBackend"/> so that callers never see them.
/// A value that cannot be stored faithfully (larger than <see cref="RedisBackendOptions.MaximumValueSize"/>, too deep,
/// cyclic, of a mismatched runtime type, unserializable) throws <see cref="CacheValueRejectedException"/> before
/// anything is sent, and is counted in <see cref="RejectedValues"/>.
/// </para>
/// </remarks>
public sealed class RedisBackend : ICacheBackendWithExpiry, ICacheTierProbe, ISerializingCacheBackend, IDisposable, IAsyncDisposable
{
    // GET and PTTL in one atomic round trip: the expiry always belongs to the value returned.
    private const string GetWithExpiryScript = "return { redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1]) }";

    // Changes the expiry of an existing key and ends its sliding (a zero window in its envelope), in one atomic step.
    // ARGV[1]: 'px' (ARGV[2] milliseconds from now), 'pxat' (ARGV[2] Unix milliseconds) or 'persist'.
    private const string ChangeExpiryScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        if redis.call('GETRANGE', KEYS[1], 0, 0) == ARGV[3] then redis.call('SETRANGE', KEYS[1], 1, string.rep('\0', 8)) end
        if ARGV[1] == 'persist' then redis.call('PERSIST', KEYS[1])
        elseif ARGV[1] == 'px' then redis.call('PEXPIRE', KEYS[1], ARGV[2])
        else redis.call('PEXPIREAT', KEYS[1], ARGV[2]) end
        return 1
        """;

    // A sliding hit: push the expiry forward only while the key still holds a sliding entry with the same window, for
    // which the refresh is exactly what a hit on it would do (a write in between may have replaced the value read).
    private const string SlideScript = """
        if redis.call('GETRANGE', KEYS[1], 0, 8) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return 0
        """;

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
    private readonly RedisValueCodec _codec;
    private long _rejectedValues;
    private long _malformedValues;
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
        _codec = new RedisValueCodec(
            options.ValueSerializer ?? MessagePackCacheValueSerializer.Instance,
            options.MaximumValueSize,
            options.CompressionThreshold);
    }

    /// <summary>The prefix of every key this backend writes.</summary>
    public string KeyPrefix => _prefixText;

    /// <summary>The Redis connection.</summary>
    public IConnectionMultiplexer Multiplexer => _multiplexer;

    /// <summary>The serializer values go through.</summary>
    public ICacheValueSerializer ValueSerializer => _codec.Serializer;

    /// <inheritdoc />
    ICacheValueSerializer? ISerializingCacheBackend.ValueSerializer => _codec.Serializer;

    /// <summary>How many values <see cref="PutAsync{T}"/> has refused to store (<see cref="CacheValueRejectedException"/>) since this backend was created.</summary>
    public long RejectedValues => Interlocked.Read(ref _rejectedValues);

    /// <summary>How many reads found bytes that do not decode as the requested type (each a miss) since this backend was created.</summary>
    public long MalformedValues => Interlocked.Read(ref _malformedValues);

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
    public static RedisBackend Connect(string configuration, RedisBackendOptions? options = null, ILogger<RedisBackend>? logger = null) =>
        Own(RedisConnectionFactory.Connect(configuration), options, logger);

    /// <summary>
    /// Connects to Redis asynchronously and creates a backend that owns the connection (disposing the backend closes
    /// it): <see cref="Connect"/> for code that starts up asynchronously. The task completes when the first connection
    /// attempt has ended; when the server is unreachable the backend is returned all the same and the connection keeps
    /// retrying in the background, while commands fail fast.
    /// </summary>
    /// <param name="configuration">A StackExchange.Redis configuration string, such as <c>"127.0.0.1:6379"</c>.</param>
    /// <param name="options">The settings; <see langword="null"/> takes the defaults.</param>
    /// <param name="logger">Receives warnings about malformed values; <see langword="null"/> logs nothing.</param>
    /// <param name="cancellationToken">Stops waiting for the first attempt; a connection it opens after that is closed.</param>
    /// <returns>The backend.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="configuration"/> is null, empty or invalid (thrown at once), or a setting in
    /// <paramref name="options"/> is (from the task, with the connection closed).
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first (from the task).</exception>
    public static Task<RedisBackend> ConnectAsync(
        string configuration, RedisBackendOptions? options = null, ILogger<RedisBackend>? logger = null, CancellationToken cancellationToken = default)
    {
        var connecting = RedisConnectionFactory.ConnectAsync(configuration);
        return CompleteConnectAsync(connecting, options, logger, cancellationToken);
    }

    private static async Task<RedisBackend> CompleteConnectAsync(
        Task<ConnectionMultiplexer> connecting, RedisBackendOptions? options, ILogger<RedisBackend>? logger, CancellationToken cancellationToken)
    {
        ConnectionMultiplexer multiplexer;
        try
        {
            multiplexer = await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Nobody will own the connection if it opens later: close it then.
            _ = connecting.ContinueWith(static opened => opened.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }

        return Own(multiplexer, options, logger);
    }

    // A backend that owns the new connection; when the options are refused, the connection is closed again.
    private static RedisBackend Own(ConnectionMultiplexer multiplexer, RedisBackendOptions? options, ILogger<RedisBackend>? logger)
    {
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
        var redisKey = _prefix.Append(key);
        var stored = await _database.StringGetAsync(redisKey).ConfigureAwait(false);
        var result = Decode<T>(key, stored, out var slide);
        if (slide > 0)
        {
            await SlideAsync(redisKey, slide).ConfigureAwait(false);
        }

        return result;
    }

    /// <inheritdoc />
    /// <remarks>Reads the value and its remaining expiry atomically in one round trip.</remarks>
    public async ValueTask<ExpiringCacheResult<T>> GetWithExpiryAsync<T>(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var redisKey = _prefix.Append(key);
        var reply = await _database.ScriptEvaluateAsync(GetWithExpiryScript, [redisKey]).ConfigureAwait(false);
        var parts = (RedisResult[]?)reply;
        if (parts is not { Length: 2 } || parts[0].IsNull)
        {
            return default;
        }

        var result = Decode<T>(key, (RedisValue)parts[0], out var slide);
        if (!result.HasValue)
        {
            return default;
        }

        var milliseconds = (long)parts[1];
        if (slide > 0 && await SlideAsync(redisKey, slide).ConfigureAwait(false))
        {
            milliseconds = slide;
        }

        return new ExpiringCacheResult<T>(result, milliseconds >= 0 ? TimeSpan.FromMilliseconds(milliseconds) : null);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="CacheValueRejectedException">
    /// The value cannot be stored faithfully: its encoding is larger than <see cref="RedisBackendOptions.MaximumValueSize"/>,
    /// it is nested too deep or cyclic, an object in it has a runtime type other than its declared one, or the serializer
    /// cannot serialize it. The value was not sent, and the key's earlier value was removed (as an in-memory backend
    /// removes it when it refuses an entry), so that no read returns what the write meant to replace; the exception
    /// names the key and its <see cref="CacheValueRejectedException.Reason"/> says why.
    /// </exception>
    public async ValueTask PutAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        CacheEntryOptions.ThrowIfSlidingWithoutTimeToLive(options, nameof(options));
        byte[] bytes;
        try
        {
            bytes = Encode(key, value);
        }
        catch (CacheValueRejectedException)
        {
            // If the removal fails, its failure is what the caller sees: the tier still holds the earlier value, and a
            // ResilientCacheBackend keeps the key pending until the removal is replayed.
            await _database.KeyDeleteAsync(_prefix.Append(key)).ConfigureAwait(false);
            throw;
        }

        var expiry = ToExpiry(options?.TimeToLive ?? _defaultTimeToLive);
        if (options is { Sliding: true } && expiry is { } window)
        {
            bytes = SlidingEnvelope.Wrap(bytes, (long)window.TotalMilliseconds);
        }

        await _database.StringSetAsync(_prefix.Append(key), bytes, expiry, When.Always)
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
    /// <remarks>PTTL: millisecond precision; does not touch the key's idle time.</remarks>
    public async ValueTask<CacheResult<TimeSpan?>> GetTimeToLiveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var milliseconds = (long)await _database.ExecuteAsync("PTTL", _prefix.Append(key)).ConfigureAwait(false);
        return milliseconds switch
        {
            -2 => CacheResult<TimeSpan?>.Miss,
            < 0 => new CacheResult<TimeSpan?>(null),
            _ => new CacheResult<TimeSpan?>(TimeSpan.FromMilliseconds(milliseconds)),
        };
    }

    /// <inheritdoc />
    /// <remarks>
    /// PEXPIRE (milliseconds, rounded up) or PERSIST, in one script that also ends a sliding expiry. A time to live of
    /// 100 years or more makes the entry persistent, as it does on writes.
    /// </remarks>
    public ValueTask<bool> SetTimeToLiveAsync(string key, TimeSpan? timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (timeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeToLive), ttl, "A time to live must be greater than zero; pass null to remove the expiry.");
        }

        return ToExpiry(timeToLive) is { } expiry
            ? ChangeExpiryAsync(key, "px", (long)expiry.TotalMilliseconds, cancellationToken)
            : ChangeExpiryAsync(key, "persist", 0, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>PEXPIREAT, judged by the Redis server's clock; an instant in the past removes the key at once.</remarks>
    public ValueTask<bool> ExpireAtAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return ChangeExpiryAsync(key, "pxat", Math.Max(1, expiresAt.ToUnixTimeMilliseconds()), cancellationToken);
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

    private byte[] Encode<T>(string key, T value)
    {
        try
        {
            return _codec.Encode(value);
        }
        catch (CacheValueRejectedException ex)
        {
            throw Rejected(key, value, ex.Reason, ex.Message, ex);
        }
#pragma warning disable CA1031 // Any serializer failure is a property of the value: it is reported as a rejection naming the key.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            var rejection = MessagePackCacheValueSerializer.FindRejection(ex);
            throw rejection is not null
                ? Rejected(key, value, rejection.Reason, rejection.Message, ex)
                : Rejected(key, value, CacheValueRejectionReason.Unserializable, $"{_codec.Serializer.GetType().Name} cannot serialize it: {ex.Message}", ex);
        }
    }

    private CacheValueRejectedException Rejected<T>(string key, T value, CacheValueRejectionReason reason, string why, Exception inner)
    {
        Interlocked.Increment(ref _rejectedValues);
        var type = value?.GetType() ?? typeof(T);
        RedisLog.ValueRejected(_logger, _prefixText + key, type, reason, why);
        return new CacheValueRejectedException(
            key,
            reason,
            $"The {type} value of cache key '{key}' was not written to Redis ({reason}): {why}",
            inner);
    }

    private async ValueTask<bool> ChangeExpiryAsync(string key, string mode, long amount, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var reply = await _database.ScriptEvaluateAsync(
            ChangeExpiryScript,
            [_prefix.Append(key)],
            [mode, amount, SlidingEnvelope.MarkerText]).ConfigureAwait(false);
        return (long)reply == 1;
    }

    private async ValueTask<bool> SlideAsync(RedisKey key, long milliseconds)
    {
        var reply = await _database.ScriptEvaluateAsync(SlideScript, [key], [SlidingEnvelope.Header(milliseconds), milliseconds]).ConfigureAwait(false);
        return (long)reply == 1;
    }

    // 'slide' is the sliding window in milliseconds of a well-formed sliding entry, else 0.
    private CacheResult<T> Decode<T>(string key, RedisValue stored, out long slide)
    {
        slide = 0;
        if (stored.IsNull)
        {
            return CacheResult<T>.Miss;
        }

        var bytes = (ReadOnlyMemory<byte>)stored;
        string? problem;
        if (SlidingEnvelope.TryUnwrap(ref bytes, out var window, out problem) &&
            _codec.TryDecode<T>(bytes, out var value, out problem))
        {
            slide = window;
            return new CacheResult<T>(value);
        }

        Interlocked.Increment(ref _malformedValues);
        RedisLog.MalformedValue(_logger, _prefixText + key, typeof(T), problem, null);
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
