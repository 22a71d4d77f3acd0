using Cacheweave.Backends;

namespace Cacheweave.Interception;

/// <summary>
/// A 64-bit number read from the method's backend on every call and hashed into the call's key, so that renewing
/// what it is made of orphans every key built from the old number at once: the method's own version
/// (<see cref="MethodVersion"/>), the versions of the call's tags (<see cref="Tags.TagVersions"/>), or both.
/// </summary>
internal abstract class KeyVersion
{
    /// <summary>Reads the current number for a call with <paramref name="arguments"/>; a miss means part of it does not exist yet.</summary>
    public abstract ValueTask<CacheResult<long>> ReadAsync(object?[] arguments, CancellationToken cancellationToken);

    /// <summary>Returns the number read by <paramref name="pendingRead"/>, making what is missing.</summary>
    public abstract ValueTask<long> ResolveAsync(ValueTask<CacheResult<long>> pendingRead, object?[] arguments, CancellationToken cancellationToken);

    /// <summary>The synchronous form of <see cref="ResolveAsync"/>, for synchronous methods.</summary>
    public abstract long Resolve(object?[] arguments, CancellationToken cancellationToken);
}
