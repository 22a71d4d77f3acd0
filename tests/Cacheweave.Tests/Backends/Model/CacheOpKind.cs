namespace Cacheweave.Tests.Backends.Model;

/// <summary>What one step of a model-based scenario does.</summary>
internal enum CacheOpKind
{
    Get,
    TryGet,
    Put,
    Remove,
    AdvanceTime,
    ResizeCapacity,
    ResizeBytes,
}
