using Microsoft.Extensions.Logging;

namespace Cacheweave.Backends.Snapshots;

/// <summary>Log messages of snapshot files; event ids 1500–1599.</summary>
internal static partial class SnapshotLog
{
    [LoggerMessage(EventId = 1501, Level = LogLevel.Information,
        Message = "Loaded {Entries} cache entries from snapshot {Path} ({Skipped} left out: expired, of unregistered types or beyond capacity).")]
    public static partial void Loaded(ILogger logger, string path, int entries, int skipped);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning,
        Message = "Cache snapshot {Path} cannot be loaded; starting with an empty cache.")]
    public static partial void LoadFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Information,
        Message = "Saved {Entries} cache entries to snapshot {Path} ({Skipped} left out: values of unregistered types or that cannot be serialized).")]
    public static partial void Saved(ILogger logger, string path, int entries, int skipped);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Error,
        Message = "Cache snapshot {Path} could not be saved; the previous snapshot, if any, is left as it was.")]
    public static partial void SaveFailed(ILogger logger, string path, Exception exception);
}
