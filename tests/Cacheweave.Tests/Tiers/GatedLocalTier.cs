using Cacheweave.Backends;

namespace Cacheweave.Tests.Tiers;

/// <summary>
/// A local tier whose next write, once armed, stops before it lands and again after, so a test can interleave a
/// read-through's copy with a write step by step.
/// </summary>
public sealed class GatedLocalTier(ICacheBackend inner) : ICacheBackend
{
    private Gates? _armed;

    /// <summary>Arms the next write.</summary>
    public Gates ArmNextPut() => _armed = new Gates();

    public ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default) => inner.GetAsync<T>(key, cancellationToken);

    public async ValueTask PutAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _armed, null) is not { } gates)
        {
            await inner.PutAsync(key, value, options, cancellationToken);
            return;
        }

        gates.Entered.SetResult();
        await gates.BeforeStore.Task;
        await inner.PutAsync(key, value, options, cancellationToken);
        gates.Stored.SetResult();
        await gates.AfterStore.Task;
    }

    public ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default) => inner.RemoveAsync(key, cancellationToken);

    public ValueTask ClearAsync(CancellationToken cancellationToken = default) => inner.ClearAsync(cancellationToken);

    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) => inner.CountAsync(cancellationToken);

    /// <summary>The stops of one armed write.</summary>
    public sealed class Gates
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource BeforeStore { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource AfterStore { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
