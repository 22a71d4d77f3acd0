using Cacheweave.Backends;

namespace Cacheweave.Tests.Tiers;

/// <summary>
/// A local tier whose writes pause before they land and yield after, as a busy thread pool can delay any step: a race
/// between a read-through's copy and a completed write then happens, and stays visible, often enough to be seen.
/// </summary>
public sealed class YieldingLocalTier(ICacheBackend inner) : ICacheBackend
{
    public ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default) => inner.GetAsync<T>(key, cancellationToken);

    public async ValueTask PutAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Random pauses let a copy that started first land last.
        switch (Random.Shared.Next(3))
        {
            case 0:
                await Task.Yield();
                break;
            default:
                await Task.Delay(Random.Shared.Next(1, 4), cancellationToken);
                break;
        }

        await inner.PutAsync(key, value, options, cancellationToken);
        await Task.Yield();
    }

    public ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default) => inner.RemoveAsync(key, cancellationToken);

    public ValueTask ClearAsync(CancellationToken cancellationToken = default) => inner.ClearAsync(cancellationToken);

    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) => inner.CountAsync(cancellationToken);
}
