using Cacheweave.Backends;

namespace Cacheweave.Tests.Traces;

/// <summary>Replays a trace through a backend the way the hit-ratio lab does: a read per request, a write after each miss.</summary>
internal static class TraceReplay
{
    /// <summary>Replays <paramref name="keys"/> in order and returns how many reads hit.</summary>
    internal static long Hits(InMemoryBackend backend, IEnumerable<string> keys)
    {
        long hits = 0;
        foreach (var key in keys)
        {
            if (backend.TryGet<int>(key, out _))
            {
                hits++;
            }
            else
            {
                backend.Set(key, 0);
            }
        }

        return hits;
    }
}
