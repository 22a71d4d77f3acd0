using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Cacheweave.Redis;

/// <summary>Log messages of the Redis tier; event ids 2000–2099.</summary>
internal static partial class RedisLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "Ignoring the Redis value under key '{Key}' read as {Type}: {Problem}. The read is a miss.")]
    public static partial void MalformedValue(ILogger logger, string key, Type type, string problem, Exception? exception);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug,
        Message = "Not writing the {Type} value of Redis key '{Key}' ({Reason}): {Problem}")]
    public static partial void ValueRejected(ILogger logger, string key, Type type, Cacheweave.Serialization.CacheValueRejectionReason reason, string problem);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information,
        Message = "Cleared {Count} Redis keys under prefix '{Prefix}'.")]
    public static partial void Cleared(ILogger logger, long count, string prefix);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning,
        Message = "Redis {ConnectionType} connection to {EndPoint} failed ({FailureType}); the cache tier degrades until it is back.")]
    public static partial void ConnectionFailed(ILogger logger, ConnectionType connectionType, System.Net.EndPoint? endPoint, ConnectionFailureType failureType, Exception? exception);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information,
        Message = "Redis {ConnectionType} connection to {EndPoint} restored; local copies are dropped once the subscription is confirmed, because invalidations may have been missed.")]
    public static partial void ConnectionRestored(ILogger logger, ConnectionType connectionType, System.Net.EndPoint? endPoint);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Information,
        Message = "Subscription to Redis invalidation channel '{Channel}' confirmed; local copies are dropped.")]
    public static partial void SubscriptionConfirmed(ILogger logger, string channel);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Warning,
        Message = "Could not subscribe to Redis invalidation channel '{Channel}' yet; the connection subscribes when it is restored.")]
    public static partial void SubscribeFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Warning,
        Message = "Could not publish to Redis invalidation channel '{Channel}'; further failures are logged at Debug level until a publish succeeds.")]
    public static partial void PublishFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(EventId = 2022, Level = LogLevel.Debug,
        Message = "Could not publish to Redis invalidation channel '{Channel}'.")]
    public static partial void PublishFailedAgain(ILogger logger, string channel, Exception exception);

    [LoggerMessage(EventId = 2023, Level = LogLevel.Warning,
        Message = "Ignoring a malformed message of {Length} bytes on Redis invalidation channel '{Channel}'.")]
    public static partial void MalformedMessage(ILogger logger, string channel, int length);

    [LoggerMessage(EventId = 2024, Level = LogLevel.Error,
        Message = "An invalidation handler failed on Redis invalidation channel '{Channel}'.")]
    public static partial void HandlerFailed(ILogger logger, string channel, Exception exception);
}
