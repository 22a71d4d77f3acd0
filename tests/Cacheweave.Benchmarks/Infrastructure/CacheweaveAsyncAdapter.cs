using Cacheweave.Backends;

namespace Cacheweave.Benchmarks.Infrastructure;

/// <summary>
/// A Cacheweave backend through <see cref="ICacheBackend"/>'s <c>GetAsync</c>/<c>PutAsync</c>, consumed the way
/// the interceptor consumes them: the synchronously completed result is read without awaiting.
/// </summary>
public readonly struct CacheweaveAsyncAdapter(InMemoryBackend backend) : ICacheAdapter
{
    /// <inheritdoc />
    public bool TryGet(string key)
    {
        var pending = backend.GetAsync<BenchmarkValue>(key);
        return (pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult()).HasValue;
    }

    /// <inheritdoc />
    public void Put(string key, BenchmarkValue value)
    {
        var pending = backend.PutAsync(key, value);
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }
}
