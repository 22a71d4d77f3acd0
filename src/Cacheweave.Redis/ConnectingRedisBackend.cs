using Cacheweave.Backends;
using Cacheweave.Resilience;
using Cacheweave.Serialization;
using Cacheweave.Tiers;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Cacheweave.Redis;

/// <summary>
/// A <see cref="RedisBackend"/> whose connection is still being made in the background. Until it is, every call fails
/// at once with a <see cref="CacheBackendUnavailableException"/> (a <see cref="ResilientCacheBackend"/> in front turns that
/// into a miss, and the real method runs); afterwards every call goes to the backend. Owns the connection.
/// </summary>
internal sealed class ConnectingRedisBackend : ICacheBackendWithExpiry, ICacheTierProbe, ISerializingCacheBackend, IDisposable, IAsyncDisposable
{
    private readonly Task<RedisBackend> _connected;
    private readonly ICacheValueSerializer _serializer;
    private int _disposed;

    /// <exception cref="ArgumentException">A setting in <paramref name="options"/> is invalid (checked at once).</exception>
    public ConnectingRedisBackend(Task<ConnectionMultiplexer> connecting, RedisBackendOptions options, ILogger? logger)
    {
        options.Validate();
        _serializer = options.ValueSerializer ?? MessagePackCacheValueSerializer.Instance;
        _connected = CreateAsync(connecting, options, logger);
    }

    /// <summary>The serializer the backend will use: known before the connection, so registration can check result types.</summary>
    public ICacheValueSerializer ValueSerializer => _serializer;

    /// <summary>The backend, once the connection exists.</summary>
    public Task<RedisBackend> Connected => _connected;

    public ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default) =>
        Backend().GetAsync<T>(key, cancellationToken);

    public ValueTask<ExpiringCacheResult<T>> GetWithExpiryAsync<T>(string key, CancellationToken cancellationToken = default) =>
        Backend().GetWithExpiryAsync<T>(key, cancellationToken);

    public ValueTask PutAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default) =>
        Backend().PutAsync(key, value, options, cancellationToken);

    public ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default) =>
        Backend().RemoveAsync(key, cancellationToken);

    public ValueTask ClearAsync(CancellationToken cancellationToken = default) => Backend().ClearAsync(cancellationToken);

    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) => Backend().CountAsync(cancellationToken);

    public ValueTask PingAsync(CancellationToken cancellationToken = default) => Backend().PingAsync(cancellationToken);

    public ValueTask<CacheResult<TimeSpan?>> GetTimeToLiveAsync(string key, CancellationToken cancellationToken = default) =>
        Backend().GetTimeToLiveAsync(key, cancellationToken);

    public ValueTask<bool> SetTimeToLiveAsync(string key, TimeSpan? timeToLive, CancellationToken cancellationToken = default) =>
        Backend().SetTimeToLiveAsync(key, timeToLive, cancellationToken);

    public ValueTask<bool> ExpireAtAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
        Backend().ExpireAtAsync(key, expiresAt, cancellationToken);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // A connection that arrives after disposal is closed by CreateAsync.
            if (_connected.IsCompletedSuccessfully)
            {
                _connected.Result.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _connected.IsCompletedSuccessfully)
        {
            await _connected.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<RedisBackend> CreateAsync(Task<ConnectionMultiplexer> connecting, RedisBackendOptions options, ILogger? logger)
    {
        var multiplexer = await connecting.ConfigureAwait(false);
        var backend = new RedisBackend(multiplexer, ownsMultiplexer: true, options, logger);
        if (Volatile.Read(ref _disposed) != 0)
        {
            await backend.DisposeAsync().ConfigureAwait(false);
        }

        return backend;
    }

    private RedisBackend Backend()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _connected.IsCompletedSuccessfully
            ? _connected.Result
            : throw new CacheBackendUnavailableException("The Redis connection is still being established.");
    }
}
