using System.Globalization;

namespace Cacheweave.FaultNode;

/// <summary>
/// The source of truth: one file per key holding its version, in a directory the test owns. The writer replaces a file
/// by renaming a new one over it, so a reader sees the old or the new version, never a torn one; no fault injected into
/// Redis touches it.
/// </summary>
public sealed class FileVersionSource(string directory) : IVersionSource
{
    private int _runs;

    /// <summary>How often the real method ran.</summary>
    public int Runs => Volatile.Read(ref _runs);

    public Task<long> GetVersionAsync(string key)
    {
        Interlocked.Increment(ref _runs);
        return Task.FromResult(Read(directory, key));
    }

    public Task<long> EchoAsync(long value) => Task.FromResult(value);

    /// <summary>Reads the version of <paramref name="key"/> in <paramref name="directory"/>.</summary>
    public static long Read(string directory, string key) =>
        long.Parse(File.ReadAllText(Path.Combine(directory, key)), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Replaces the version of <paramref name="key"/> atomically (write a new file, rename it over the old one).</summary>
    public static void Write(string directory, string key, long version)
    {
        var next = Path.Combine(directory, $"{key}.{Environment.ProcessId}.next");
        File.WriteAllText(next, version.ToString(CultureInfo.InvariantCulture));
        File.Move(next, Path.Combine(directory, key), overwrite: true);
    }
}
