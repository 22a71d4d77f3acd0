using Cacheweave.Backends;

namespace Cacheweave.Tests.Resilience;

/// <summary>An in-memory tier that fails every call with <see cref="IOException"/> while <see cref="IsDown"/> is set.</summary>
public sealed class SwitchableTier(InMemoryBackend inner) : ICacheBackend, IDisposable
{
    private volatile bool _isDown;

    public bool IsDown
    {
        get => _isDown;
        set => _isDown = value;
    }

    public InMemoryBackend Inner => inner;

    public ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default) =>
        Up() ? inner.GetAsync<T>(key, cancellationToken) : throw Down();

    public ValueTask PutAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default) =>
        Up() ? inner.PutAsync(key, value, options, cancellationToken) : throw Down();

    public ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default) =>
        Up() ? inner.RemoveAsync(key, cancellationToken) : throw Down();

    public ValueTask ClearAsync(CancellationToken cancellationToken = default) => Up() ? inner.ClearAsync(cancellationToken) : throw Down();

    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) => Up() ? inner.CountAsync(cancellationToken) : throw Down();

    public ValueTask<CacheResult<TimeSpan?>> GetTimeToLiveAsync(string key, CancellationToken cancellationToken = default) =>
        Up() ? inner.GetTimeToLiveAsync(key, cancellationToken) : throw Down();

    public ValueTask<bool> SetTimeToLiveAsync(string key, TimeSpan? timeToLive, CancellationToken cancellationToken = default) =>
        Up() ? inner.SetTimeToLiveAsync(key, timeToLive, cancellationToken) : throw Down();

    public ValueTask<bool> ExpireAtAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
        Up() ? inner.ExpireAtAsync(key, expiresAt, cancellationToken) : throw Down();

    public void Dispose() => inner.Dispose();

    private bool Up() => !_isDown;

    private static IOException Down() => new("The tier is down.");
}
