using System.Security.Cryptography;
using Cacheweave.Backends;

namespace Cacheweave.Interception;

/// <summary>
/// The version of a <c>[Cached(Versioned = true)]</c> method, kept in the method's backend so that every process
/// sharing the backend folds the same version into its keys. Renewing it drops every entry of the method at once:
/// the old keys are never computed again and age out of the backend.
/// </summary>
/// <remarks>
/// A version is a random 64-bit number rather than a counter. The version entry can be evicted or expire like any
/// other; a counter would then restart at a value used before and bring entries written under it back to life,
/// while a fresh random version never meets an old key.
/// </remarks>
internal sealed class MethodVersion : KeyVersion
{
    // Long enough to outlive the method's entries in a backend that orders eviction by expiry; if it goes anyway,
    // the method starts over with a fresh version (a cold cache, never a stale one).
    // Its size, for a backend with a byte budget, is that of a 64-bit integer in MessagePack.
    private static readonly CacheEntryOptions VersionLifetime = new() { TimeToLive = TimeSpan.FromDays(365), Size = 9 };

    private readonly ICacheBackend _backend;
    private readonly KeyedLock _locks;

    public MethodVersion(string key, ICacheBackend backend, KeyedLock locks)
    {
        Key = key;
        _backend = backend;
        _locks = locks;
    }

    /// <summary>The backend key holding the version.</summary>
    public string Key { get; }

    /// <summary>Reads the current version; a miss means none was made yet (or it left the backend).</summary>
    public ValueTask<CacheResult<long>> ReadAsync(CancellationToken cancellationToken) => _backend.GetAsync<long>(Key, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<CacheResult<long>> ReadAsync(object?[] arguments, CancellationToken cancellationToken) => ReadAsync(cancellationToken);

    /// <inheritdoc />
    public override ValueTask<long> ResolveAsync(ValueTask<CacheResult<long>> pendingRead, object?[] arguments, CancellationToken cancellationToken) =>
        ResolveAsync(pendingRead, cancellationToken);

    /// <inheritdoc />
    public override long Resolve(object?[] arguments, CancellationToken cancellationToken) => Resolve(cancellationToken);

    /// <summary>Returns the version read by <paramref name="pendingRead"/>, or makes one when there is none.</summary>
    public async ValueTask<long> ResolveAsync(ValueTask<CacheResult<long>> pendingRead, CancellationToken cancellationToken)
    {
        var read = await pendingRead.ConfigureAwait(false);
        if (read.TryGetValue(out var version))
        {
            return version;
        }

        // Serialised per process so concurrent first callers agree on one version (and run the method once).
        using (await _locks.AcquireAsync(Key, cancellationToken).ConfigureAwait(false))
        {
            read = await ReadAsync(cancellationToken).ConfigureAwait(false);
            if (read.TryGetValue(out version))
            {
                return version;
            }

            version = NewVersion();
            await _backend.PutAsync(Key, version, VersionLifetime, CancellationToken.None).ConfigureAwait(false);
            return version;
        }
    }

    /// <summary>The synchronous form of <see cref="ResolveAsync(ValueTask{CacheResult{long}}, CancellationToken)"/>, for synchronous methods.</summary>
    public long Resolve(CancellationToken cancellationToken)
    {
        if (Synchronously.Wait(ReadAsync(cancellationToken)).TryGetValue(out var version))
        {
            return version;
        }

        using (_locks.Acquire(Key, cancellationToken))
        {
            if (Synchronously.Wait(ReadAsync(cancellationToken)).TryGetValue(out version))
            {
                return version;
            }

            version = NewVersion();
            Synchronously.Wait(_backend.PutAsync(Key, version, VersionLifetime, CancellationToken.None));
            return version;
        }
    }

    /// <summary>Replaces the version, so that no earlier key of the method is used again.</summary>
    public ValueTask RenewAsync(CancellationToken cancellationToken) =>
        _backend.PutAsync(Key, NewVersion(), VersionLifetime, cancellationToken);

    private static long NewVersion() => BitConverter.ToInt64(RandomNumberGenerator.GetBytes(sizeof(long)));
}
