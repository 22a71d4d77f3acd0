using Microsoft.Extensions.Logging;

namespace Cacheweave.Diagnostics;

/// <summary>
/// The per-call log events of cached proxies, all at <see cref="LogLevel.Debug"/>: a busy service makes thousands of
/// calls a second, and what they add up to is in the metrics. Event ids 1080–1089 (within the interception range
/// 1000–1099). A hit logs nothing: checking the log level on every hit would cost more than the hit's count.
/// </summary>
internal static partial class CallLog
{
    [LoggerMessage(EventId = 1080, Level = LogLevel.Debug,
        Message = "{Method}: miss on {Key}; the method ran in {Elapsed}.")]
    public static partial void MethodRan(ILogger logger, string method, string key, TimeSpan elapsed);

    [LoggerMessage(EventId = 1081, Level = LogLevel.Debug,
        Message = "{Method}: miss on {Key}; the method failed after {Elapsed}, and nothing was stored.")]
    public static partial void MethodFailed(ILogger logger, string method, string key, TimeSpan elapsed, Exception exception);

    [LoggerMessage(EventId = 1082, Level = LogLevel.Debug,
        Message = "{Method}: {Key} was filled by another caller while this call waited for it.")]
    public static partial void FilledByOtherCaller(ILogger logger, string method, string key);
}
