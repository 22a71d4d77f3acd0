using Cacheweave.Backends;
using Cacheweave.Tiers;

namespace Cacheweave.Tests.Tiers;

/// <summary>
/// A shared tier that, while <see cref="Refuses"/> is set, answers reads and removals but fails every write, as Redis
/// does at <c>maxmemory</c> with the <c>noeviction</c> policy.
/// </summary>
public sealed class WriteRefusingTier(ICacheBackendWithExpiry inner) : ICacheBackendWithExpiry
{
    private volatile bool _refuses;

    public bool Refuses
    {
        get => _refuses;
        set => _refuses = value;
    }

    public ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default) => inner.GetAsync<T>(key, cancellationToken);

    public ValueTask<ExpiringCacheResult<T>> GetWithExpiryAsync<T>(string key, CancellationToken cancellationToken = default) =>
        inner.GetWithExpiryAsync<T>(key, cancellationToken);

    public ValueTask PutAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default) =>
        _refuses
            ? ValueTask.FromException(new InvalidOperationException("OOM command not allowed when used memory > 'maxmemory'."))
            : inner.PutAsync(key, value, options, cancellationToken);

    public ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default) => inner.RemoveAsync(key, cancellationToken);

    public ValueTask ClearAsync(CancellationToken cancellationToken = default) => inner.ClearAsync(cancellationToken);

    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) => inner.CountAsync(cancellationToken);
}
