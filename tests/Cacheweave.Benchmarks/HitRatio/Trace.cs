using System.Globalization;
using Cacheweave.Tests.Traces;

namespace Cacheweave.Benchmarks.HitRatio;

/// <summary>
/// A block-I/O trace in memory: one key per request, with each distinct block's key string built once and
/// shared, so that a replay allocates no keys (as a cache's callers would hold them).
/// </summary>
public sealed class Trace
{
    private Trace(string name, string[] requests, int distinctKeys)
    {
        Name = name;
        Requests = requests;
        DistinctKeys = distinctKeys;
    }

    /// <summary>The trace's name: its file name up to the first dot (<c>OLTP</c>, <c>gli</c>).</summary>
    public string Name { get; }

    /// <summary>The requested keys in order.</summary>
    public IReadOnlyList<string> Requests { get; }

    /// <summary>The number of distinct keys requested.</summary>
    public int DistinctKeys { get; }

    /// <summary>The trace name for the file at <paramref name="path"/>.</summary>
    public static string NameOf(string path)
    {
        var name = Path.GetFileName(path);
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? name[..dot] : name;
    }

    /// <summary>Reads a trace file: <c>*.lis*</c> in the ARC format, anything else in the LIRS format (see the unit tests' <c>TraceReader</c>).</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="FormatException">An ARC-format line is malformed.</exception>
    public static Trace Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var format = Path.GetFileName(path).Contains(".lis", StringComparison.OrdinalIgnoreCase) ? TraceFormat.Arc : TraceFormat.Lirs;
        return FromBlocks(NameOf(path), TraceReader.ReadFile(path, format));
    }

    /// <summary>A trace of the given block numbers, in order.</summary>
    public static Trace FromBlocks(string name, IEnumerable<long> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var keys = new Dictionary<long, string>();
        var requests = new List<string>();
        foreach (var block in blocks)
        {
            if (!keys.TryGetValue(block, out var key))
            {
                key = block.ToString(CultureInfo.InvariantCulture);
                keys.Add(block, key);
            }

            requests.Add(key);
        }

        return new Trace(name, [.. requests], keys.Count);
    }
}
