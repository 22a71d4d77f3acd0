using Microsoft.Extensions.Logging;

namespace Cacheweave.Interception;

/// <summary>Log messages of cached proxies; event ids 1000–1099.</summary>
internal static partial class InterceptionLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning,
        Message = "{Method}: an argument changed while the call was running (its key went from {Key} to {KeyAfter}); the result was returned but not stored.")]
    public static partial void ArgumentsChanged(ILogger logger, string method, string key, string keyAfter);
}
