namespace Cacheweave.Tests.Backends.Model;

/// <summary>What one step of a model-based scenario does.</summary>
internal enum CacheOpKind
{
    Get,
    TryGet,

    /// <summary>
    /// A read through the key's <see cref="Keys.KeyHandle"/> (the cached call's hit path), one handle per key for the
    /// whole scenario, so that it starts from whatever entry it found last, however long ago.
    /// </summary>
    TryGetByHandle,
    Put,
    Remove,
    AdvanceTime,
    ResizeCapacity,
    ResizeBytes,
}
