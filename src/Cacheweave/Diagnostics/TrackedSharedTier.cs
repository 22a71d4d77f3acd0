using Cacheweave.Resilience;

namespace Cacheweave.Diagnostics;

/// <summary>A shared tier <see cref="CacheweaveMetrics"/> reports the circuits of, under its backend's name.</summary>
internal sealed record TrackedSharedTier(string Name, ResilientCacheBackend Backend);
