using Microsoft.Extensions.Logging;

namespace Cacheweave.Tags;

/// <summary>Log messages of tag invalidation and declarative eviction; event ids 1080–1089 (within the interception range).</summary>
internal static partial class TagLog
{
    [LoggerMessage(EventId = 1080, Level = LogLevel.Warning,
        Message = "{Method} completed, and the shared tier could not take the invalidation of {Invalidated}: it is pending and will be replayed when the tier answers.")]
    public static partial void InvalidationPending(ILogger logger, string method, string invalidated);
}
