using Microsoft.Extensions.Logging;

namespace Cacheweave.Resilience;

/// <summary>Log messages of the resilience pieces; event ids 1100–1199.</summary>
internal static partial class ResilienceLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "Cache tier {Backend} failed to {Operation} key '{Key}'; the call degrades (a read is a miss, a write is dropped).")]
    public static partial void OperationFailed(ILogger logger, string backend, string operation, string? key, Exception exception);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug,
        Message = "Cache tier {Backend} skipped {Operation} of key '{Key}' because its circuit is open.")]
    public static partial void OperationRefused(ILogger logger, string backend, string operation, string? key);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning,
        Message = "Circuit of cache tier {Backend} opened; calls are refused for {BreakDuration} before a probe.")]
    public static partial void CircuitOpened(ILogger logger, string backend, TimeSpan breakDuration);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information,
        Message = "Circuit of cache tier {Backend} is half-open; one probe call goes through.")]
    public static partial void CircuitHalfOpened(ILogger logger, string backend);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information,
        Message = "Circuit of cache tier {Backend} closed; the tier is in use again.")]
    public static partial void CircuitClosed(ILogger logger, string backend);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Debug,
        Message = "Cache tier {Backend} did not take the {Operation} of key '{Key}'; the key is a miss here until its removal is replayed to the tier.")]
    public static partial void InvalidationPending(ILogger logger, string backend, string operation, string? key);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning,
        Message = "Cache tier {Backend} owes more than {Capacity} removals; it will be cleared when it answers again, and is a miss until then.")]
    public static partial void PendingOverflowed(ILogger logger, string backend, int capacity);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Information,
        Message = "Cache tier {Backend} answers again; replayed {Count} pending removals.")]
    public static partial void InvalidationsReplayed(ILogger logger, string backend, int count);

    [LoggerMessage(EventId = 1109, Level = LogLevel.Warning,
        Message = "Cache tier {Backend} timed out; calls fail at once until a probe finds it answering.")]
    public static partial void TierHanging(ILogger logger, string backend);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Information,
        Message = "Cache tier {Backend} answers again after a timeout.")]
    public static partial void TierAnswering(ILogger logger, string backend);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Error,
        Message = "The handler of a replayed invalidation of cache tier {Backend} failed.")]
    public static partial void ReplayHandlerFailed(ILogger logger, string backend, Exception exception);

    [LoggerMessage(EventId = 1112, Level = LogLevel.Error,
        Message = "Cache tier {Backend} was disposed while it still owed {Count} removals, which are lost with this process: until they expire, the tier may serve the values they were to remove. Keys: {Keys}.")]
    public static partial void PendingLostAtDispose(ILogger logger, string backend, int count, string keys);
}
