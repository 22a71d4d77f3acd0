using Cacheweave.Backends;
using Cacheweave.Resilience;
using Cacheweave.Tiers;

namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>Backends made from a configuration string connect in the background; tests that need Redis at once wait for it.</summary>
public static class BackgroundConnection
{
    /// <summary>Waits until <paramref name="backend"/> (Redis-only or two-level) has connected and its channel listens.</summary>
    public static async Task<ICacheBackend> ConnectedAsync(ICacheBackend backend)
    {
        var shared = backend as ResilientCacheBackend ?? ((TwoLevelBackend)backend).SharedTier;
        await ((ConnectingRedisBackend)shared.InnerBackend).Connected;
        if (backend is TwoLevelBackend { InvalidationChannel: ConnectingInvalidationChannel channel })
        {
            await channel.Connected;
        }

        return backend;
    }
}
