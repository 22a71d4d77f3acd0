using Cacheweave.Serialization;
using Microsoft.Extensions.Logging;

namespace Cacheweave.Interception;

/// <summary>Log messages of cached proxies; event ids 1000–1099.</summary>
internal static partial class InterceptionLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning,
        Message = "{Method}: an argument changed while the call was running (its key went from {Key} to {KeyAfter}); the result was returned but not stored.")]
    public static partial void ArgumentsChanged(ILogger logger, string method, string key, string keyAfter);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "{Method}: the backend refused the result for {Key} ({Reason}); it was returned but not stored.")]
    public static partial void ValueRejected(ILogger logger, string method, string key, CacheValueRejectionReason reason, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning,
        Message = "{Method}: waited {Timeout} for another caller computing {Key}; running the method without waiting any longer.")]
    public static partial void LockTimedOut(ILogger logger, string method, string key, TimeSpan timeout);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning,
        Message = "{Method}: the result for {Key} is larger than its backend's whole byte budget of {MaxBytes} bytes; it was returned but not stored.")]
    public static partial void EntryTooLarge(ILogger logger, string method, string key, long maxBytes);
    // Fail-safe and background runs (issue 10): 1050-1059.
    [LoggerMessage(EventId = 1050, Level = LogLevel.Warning,
        Message = "{Method}: the method failed for {Key}; fail-safe served the stale value instead of the exception.")]
    public static partial void FailSafeAfterFailure(ILogger logger, string method, string key, Exception exception);

    [LoggerMessage(EventId = 1051, Level = LogLevel.Warning,
        Message = "{Method}: the method did not return within its hard timeout of {Timeout} for {Key}; fail-safe served the stale value.")]
    public static partial void FailSafeAfterTimeout(ILogger logger, string method, string key, TimeSpan timeout);

    [LoggerMessage(EventId = 1052, Level = LogLevel.Warning,
        Message = "{Method}: a background run for {Key} failed; the entry stays as it was.")]
    public static partial void BackgroundRunFailed(ILogger logger, string method, string key, Exception exception);
}
