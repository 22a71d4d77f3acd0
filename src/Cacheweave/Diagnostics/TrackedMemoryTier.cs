using Cacheweave.Backends;

namespace Cacheweave.Diagnostics;

/// <summary>An in-memory backend (alone or as a local tier) <see cref="CacheweaveMetrics"/> reports, with its tags built once.</summary>
internal sealed class TrackedMemoryTier(string name, InMemoryBackend backend)
{
    public InMemoryBackend Backend { get; } = backend;

    /// <summary><c>cacheweave.backend</c> and <c>cacheweave.tier</c>.</summary>
    public KeyValuePair<string, object?>[] Tags { get; } =
        [new(TelemetryTags.Backend, name), new(TelemetryTags.Tier, TelemetryTags.LocalTier)];

    /// <summary><see cref="Tags"/> and one more.</summary>
    public KeyValuePair<string, object?>[] TagsWith(string tag, string value) => [.. Tags, new(tag, value)];
}
