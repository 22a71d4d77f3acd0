using Cacheweave.Backends;

namespace Cacheweave.Tests.Interception;

/// <summary>Hands a shared backend to a container without letting the container dispose it.</summary>
public sealed class NonOwningBackend(ICacheBackend inner) : ICacheBackend
{
    public ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default) => inner.GetAsync<T>(key, cancellationToken);

    public ValueTask PutAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.PutAsync(key, value, options, cancellationToken);

    public ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default) => inner.RemoveAsync(key, cancellationToken);

    public ValueTask ClearAsync(CancellationToken cancellationToken = default) => inner.ClearAsync(cancellationToken);

    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) => inner.CountAsync(cancellationToken);
}
