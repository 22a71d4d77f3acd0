using System.Globalization;
using System.IO.Compression;

namespace Cacheweave.Tests.Traces;

/// <summary>
/// Reads a block-I/O trace as the sequence of block numbers it requests. Files ending in <c>.gz</c> are
/// decompressed on the fly; LF and CRLF line endings both work.
/// </summary>
/// <remarks>Depends on nothing but the BCL, so that the benchmarks can link this file as it is.</remarks>
internal static class TraceReader
{
    /// <summary>Reads every request of the trace file at <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">An ARC line does not start with two numbers.</exception>
    public static long[] ReadFile(string path, TraceFormat format)
    {
        using var file = File.OpenRead(path);
        using Stream content = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(content);
        return [.. Read(reader, format)];
    }

    /// <summary>Reads the requests of a trace, lazily, in order.</summary>
    /// <exception cref="FormatException">An ARC line does not start with two numbers.</exception>
    public static IEnumerable<long> Read(TextReader reader, TraceFormat format)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return format switch
        {
            TraceFormat.Arc => ReadArc(reader),
            TraceFormat.Lirs => ReadLirs(reader),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown trace format."),
        };
    }

    private static IEnumerable<long> ReadArc(TextReader reader)
    {
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var fields = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            if (fields.Length < 2 || !TryParseBlock(fields[0], out var start) || !TryParseBlock(fields[1], out var count))
            {
                throw new FormatException($"Line {lineNumber} of the ARC trace is not 'start count ...': \"{line}\".");
            }

            for (var block = start; block < start + count; block++)
            {
                yield return block;
            }
        }
    }

    private static IEnumerable<long> ReadLirs(TextReader reader)
    {
        while (reader.ReadLine() is { } line)
        {
            if (TryParseBlock(line.AsSpan().Trim(), out var block))
            {
                yield return block;
            }
        }
    }

    private static bool TryParseBlock(ReadOnlySpan<char> text, out long block) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out block);
}
