using Microsoft.Extensions.Logging;

namespace Cacheweave.Tiers;

/// <summary>Log messages of the tiered backends; event ids 1200–1299.</summary>
internal static partial class TierLog
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Information,
        Message = "Local tier cleared because {Reason}.")]
    public static partial void LocalTierCleared(ILogger logger, string reason);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning,
        Message = "Could not publish the invalidation of {Invalidation}; other processes may serve their local copy until it expires.")]
    public static partial void PublishFailed(ILogger logger, CacheInvalidation invalidation, Exception exception);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning,
        Message = "The shared tier cannot count its entries; reporting the local tier's count instead.")]
    public static partial void CountFellBackToLocalTier(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Debug,
        Message = "Dropping the local copy of {Invalidation} on a message from another process.")]
    public static partial void InvalidationReceived(ILogger logger, CacheInvalidation invalidation);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Error,
        Message = "Failed to drop the local copy of {Invalidation}.")]
    public static partial void InvalidationFailed(ILogger logger, CacheInvalidation invalidation, Exception exception);
}
