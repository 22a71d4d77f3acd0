using System.Globalization;
using System.IO.Compression;

namespace Cacheweave.Benchmarks.HitRatio;

/// <summary>
/// A block-I/O trace read into memory: one key per request, with each distinct block's key string built
/// once and shared, so a replay allocates no keys.
/// </summary>
public sealed class Trace
{
    private Trace(string name, string[] requests, int distinctKeys)
    {
        Name = name;
        Requests = requests;
        DistinctKeys = distinctKeys;
    }

    /// <summary>The trace's name: its file name without <c>.trace.gz</c> or <c>.lis.gz</c>.</summary>
    public string Name { get; }

    /// <summary>The requested keys in order.</summary>
    public IReadOnlyList<string> Requests { get; }

    /// <summary>The number of distinct keys requested.</summary>
    public int DistinctKeys { get; }

    /// <summary>The format of the file at <paramref name="path"/>, from its name: <c>*.lis*</c> is ARC, anything else LIRS.</summary>
    public static TraceFormat FormatOf(string path) =>
        Path.GetFileName(path).Contains(".lis", StringComparison.OrdinalIgnoreCase) ? TraceFormat.Arc : TraceFormat.Lirs;

    /// <summary>The trace name for the file at <paramref name="path"/>.</summary>
    public static string NameOf(string path)
    {
        var name = Path.GetFileName(path);
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? name[..dot] : name;
    }

    /// <summary>Reads a gzip-compressed trace (plain text if it does not end in <c>.gz</c>).</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">An ARC-format line is malformed.</exception>
    public static Trace Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = File.OpenRead(path);
        using Stream content = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(content);
        return Read(NameOf(path), reader, FormatOf(path));
    }

    /// <summary>Reads a trace in <paramref name="format"/> from <paramref name="reader"/>. <see cref="TextReader.ReadLine"/> handles LF and CRLF endings alike.</summary>
    public static Trace Read(string name, TextReader reader, TraceFormat format)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var keys = new Dictionary<long, string>();
        var requests = new List<string>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (format == TraceFormat.Arc)
            {
                ReadArcLine(line, lineNumber, name, keys, requests);
            }
            else if (long.TryParse(line.AsSpan().Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var block))
            {
                requests.Add(KeyOf(block, keys));
            }
        }

        return new Trace(name, [.. requests], keys.Count);
    }

    private static void ReadArcLine(string line, int lineNumber, string name, Dictionary<long, string> keys, List<string> requests)
    {
        var span = line.AsSpan().Trim();
        if (span.IsEmpty)
        {
            return;
        }

        Span<Range> fields = stackalloc Range[5];
        var count = span.SplitAny(fields, " \t", StringSplitOptions.RemoveEmptyEntries);
        if (count < 2
            || !long.TryParse(span[fields[0]], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start)
            || !int.TryParse(span[fields[1]], NumberStyles.Integer, CultureInfo.InvariantCulture, out var length)
            || length < 0)
        {
            throw new InvalidDataException($"Trace '{name}', line {lineNumber}: expected 'start count ...' in ARC format, found '{line}'.");
        }

        for (var i = 0; i < length; i++)
        {
            requests.Add(KeyOf(start + i, keys));
        }
    }

    private static string KeyOf(long block, Dictionary<long, string> keys)
    {
        if (!keys.TryGetValue(block, out var key))
        {
            key = block.ToString(CultureInfo.InvariantCulture);
            keys.Add(block, key);
        }

        return key;
    }
}
