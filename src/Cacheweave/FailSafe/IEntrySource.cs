using Cacheweave.Backends;
using Cacheweave.Serialization;

namespace Cacheweave.FailSafe;

/// <summary>Where an <see cref="EntryFlow{T}"/> gets values from (a cached method's plan, or a factory) and reports to.</summary>
internal interface IEntrySource<T>
{
    /// <summary>The method, or the key of a factory, as log messages name it.</summary>
    string Name { get; }

    /// <summary>Whether running blocks the calling thread (a synchronous method): then a caller that may stop waiting runs it on the thread pool.</summary>
    bool Blocks { get; }

    /// <summary>Runs the method (or factory).</summary>
    ValueTask<T> RunAsync(object target, object?[] arguments, CancellationToken cancellationToken);

    /// <summary>Whether the arguments still describe the key after the run (a caller may have changed an argument object).</summary>
    bool StillDescribes(string key, long? version, object?[] arguments);

    /// <summary>The arguments for a run that outlives the call: a copy whose cancellation tokens are <see cref="CancellationToken.None"/>.</summary>
    object?[] Detach(object?[] arguments);

    /// <summary>Reports a value the backend refused to store.</summary>
    void ReportRejected(string key, CacheValueRejectedException rejection);

    /// <summary>Reports a wait for the key that timed out.</summary>
    void ReportLockTimeout(string key);

    /// <summary>
    /// Adds the envelope's size to <paramref name="options"/> when the backend has a byte budget to count it against;
    /// <see langword="false"/>, having logged and counted why, when it is too large for the whole budget or cannot be sized.
    /// </summary>
    bool TrySize(string key, CacheEnvelope<T> envelope, ref CacheEntryOptions? options);
}
