using Cacheweave.Backends;

namespace Cacheweave.Tests.Backends;

/// <summary>Terse synchronous steps for behaviour tests: every value is <c>"value of " + key</c>.</summary>
internal static class InMemoryBackendTestExtensions
{
    public static string ValueOf(string key) => "value of " + key;

    public static void Put(this InMemoryBackend backend, string key, TimeSpan? timeToLive = null) =>
        Synchronously.Complete(backend.PutAsync(key, ValueOf(key), timeToLive is { } ttl ? new CacheEntryOptions { TimeToLive = ttl } : null));

    /// <summary>Writes <paramref name="value"/> with its size for the byte budget given per write.</summary>
    public static void PutSized(this InMemoryBackend backend, string key, int value, long size, TimeSpan? timeToLive = null) =>
        backend.Set(key, value, new CacheEntryOptions { Size = size, TimeToLive = timeToLive });

    public static void PutAll(this InMemoryBackend backend, params string[] keys)
    {
        foreach (var key in keys)
        {
            backend.Put(key);
        }
    }

    public static CacheResult<string> Read(this InMemoryBackend backend, string key) =>
        Synchronously.Result(backend.GetAsync<string>(key));

    public static void Read(this InMemoryBackend backend, string key, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.True(backend.Read(key).HasValue, $"{key} should be a hit");
        }
    }

    public static bool Holds(this InMemoryBackend backend, string key) => backend.SnapshotLiveEntries().ContainsKey(key);

    /// <summary>The live keys, sorted, read without touching recency or frequency.</summary>
    public static string[] LiveKeys(this InMemoryBackend backend) => [.. backend.SnapshotLiveEntries().Keys.Order(StringComparer.Ordinal)];
}
