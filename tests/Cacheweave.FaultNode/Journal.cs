using System.Collections.Concurrent;
using System.Globalization;

namespace Cacheweave.FaultNode;

/// <summary>
/// What this node saw, one tab-separated line per event, timestamped with <see cref="DateTime.UtcNow"/> ticks (one clock
/// for every process on the machine). Kept in memory while the node runs and written to a file when it stops, so that
/// writing it costs the callers nothing but a queue append.
/// </summary>
/// <remarks>
/// Lines: <c>read start end task key version</c>, <c>error start end task key message</c>,
/// <c>invalidate start end key version result</c>, <c>log ticks eventId level category message</c>,
/// <c>runs count</c>, <c>resolve milliseconds</c>, <c>connect milliseconds</c> (until an invalidation reached Redis).
/// </remarks>
public sealed class Journal
{
    private readonly ConcurrentQueue<string> _lines = new();

    public static long Now => DateTime.UtcNow.Ticks;

    public void Read(long start, long end, int task, string key, long version) =>
        Add($"read\t{start}\t{end}\t{task}\t{key}\t{version}");

    public void Error(long start, long end, int task, string key, Exception exception) =>
        Add($"error\t{start}\t{end}\t{task}\t{key}\t{OneLine($"{exception.GetType().Name}: {exception.Message}")}");

    public void Invalidate(long start, long end, string key, long version, string result) =>
        Add($"invalidate\t{start}\t{end}\t{key}\t{version}\t{result}");

    public void Log(int eventId, string level, string category, string message) =>
        Add($"log\t{Now}\t{eventId}\t{level}\t{category}\t{OneLine(message)}");

    public void Add(string line) => _lines.Enqueue(line);

    public void WriteTo(string path)
    {
        var next = path + ".next";
        File.WriteAllLines(next, _lines);
        File.Move(next, path, overwrite: true);
    }

    private static string OneLine(string text) =>
        text.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');

    public static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
