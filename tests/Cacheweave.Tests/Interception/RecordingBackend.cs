using System.Collections.Concurrent;
using Cacheweave.Backends;

namespace Cacheweave.Tests.Interception;

/// <summary>An LRU backend that records every key it is asked to write, with the type written.</summary>
public sealed class RecordingBackend : ICacheBackend, IDisposable
{
    private readonly LruBackend _inner = new(1_000);

    public ConcurrentQueue<(string Key, Type Type)> Writes { get; } = new();

    public ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default) => _inner.GetAsync<T>(key, cancellationToken);

    public ValueTask PutAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        Writes.Enqueue((key, typeof(T)));
        return _inner.PutAsync(key, value, options, cancellationToken);
    }

    public ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default) => _inner.RemoveAsync(key, cancellationToken);

    public ValueTask ClearAsync(CancellationToken cancellationToken = default) => _inner.ClearAsync(cancellationToken);

    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) => _inner.CountAsync(cancellationToken);

    public void Dispose() => _inner.Dispose();
}
