using System.Globalization;
using Cacheweave.Backends;

namespace Cacheweave.Tests.Traces;

/// <summary>Replays a trace through a backend the way the hit-ratio lab does: a read per request, a write after each miss.</summary>
internal static class TraceReplay
{
    /// <summary>
    /// The requests of the trace file <paramref name="fileName"/> (found by <see cref="TraceDirectory"/>) as string
    /// keys, one string instance per distinct block shared by its requests, as a cache's callers would hold them.
    /// </summary>
    internal static string[] Keys(string fileName, TraceFormat format)
    {
        var names = new Dictionary<long, string>();
        return [.. TraceReader.ReadFile(TraceDirectory.GetFile(fileName), format)
            .Select(block => names.TryGetValue(block, out var name) ? name : names[block] = block.ToString(CultureInfo.InvariantCulture))];
    }

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
