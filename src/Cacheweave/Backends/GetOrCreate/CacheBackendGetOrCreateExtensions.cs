using System.Runtime.CompilerServices;
using Cacheweave.FailSafe;
using Cacheweave.Interception;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cacheweave.Backends;

/// <summary><c>GetOrCreateAsync</c> for code that uses an <see cref="ICacheBackend"/> directly.</summary>
public static class CacheBackendGetOrCreateExtensions
{
    // One table of per-key locks per backend instance, so that every GetOrCreateAsync of a key on a backend runs its
    // factory once at a time, whoever calls it.
    private static readonly ConditionalWeakTable<ICacheBackend, KeyedLock> s_locks = [];

    /// <summary>
    /// Returns the value cached under <paramref name="key"/>, or runs <paramref name="factory"/> (one caller per key
    /// at a time, in this process) and stores its result, with the fail-safe, eager refresh, timeout and jitter rules of
    /// <paramref name="options"/>. Honours <see cref="CacheScope.Bypass"/> and <see cref="CacheScope.Refresh"/>.
    /// </summary>
    /// <remarks>
    /// The entry is stored as a <see cref="CacheEnvelope{T}"/> (the value and its logical expiry), whatever the options:
    /// read it back with <c>GetOrCreateAsync</c>, not with <see cref="ICacheBackend.GetAsync{T}"/>.
    /// </remarks>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="backend">The backend.</param>
    /// <param name="key">The key; not null or empty.</param>
    /// <param name="factory">Produces the value on a miss; it gets the caller's token.</param>
    /// <param name="options">The lifetime rules; <see langword="null"/> keeps the entry until the backend drops it.</param>
    /// <param name="cancellationToken">Ends this caller's wait; a factory already running for other callers goes on.</param>
    /// <returns>The cached or created value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="backend"/> or <paramref name="factory"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty, or <paramref name="options"/> are inconsistent.</exception>
    /// <exception cref="TimeoutException">The factory ran past the hard timeout and no stale value was there to serve.</exception>
    /// <exception cref="Exception">Whatever <paramref name="factory"/> throws, when fail-safe has no stale value to serve instead.</exception>
    public static ValueTask<T> GetOrCreateAsync<T>(
        this ICacheBackend backend, string key, Func<CancellationToken, ValueTask<T>> factory, GetOrCreateOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(factory);
        options ??= DefaultOptions;
        var lifetime = options.CheckedLifetime(out var problem) ??
            throw new ArgumentException($"The GetOrCreateOptions cannot be honoured: {problem}.", nameof(options));
        var logger = options.Logger ?? NullLogger.Instance;
        var unless = options.Unless is { } predicate ? value => predicate(value) : (Func<T, bool>?)null;
        var flow = new EntryFlow<T>(
            backend, s_locks.GetValue(backend, static _ => new KeyedLock()), lifetime, new FactoryEntrySource<T>(logger), unless,
            options.TimeProvider ?? TimeProvider.System, logger, outcomes: null);
        return flow.GetAsync(new EntryRequest(key, null, factory, [], cancellationToken));
    }

    private static GetOrCreateOptions DefaultOptions { get; } = new();
}
