using System.Globalization;

namespace Cacheweave.Redis.Tests.Tags;

/// <summary>Reads an item's version from a truth directory (one file per item, written whole by <see cref="Write"/>).</summary>
public sealed class ItemReader(string directory) : IItemReader
{
    private int _runs;

    public int Runs => Volatile.Read(ref _runs);

    public Task<long> GetAsync(int id)
    {
        Interlocked.Increment(ref _runs);
        return Task.FromResult(long.Parse(File.ReadAllText(PathOf(directory, id)), CultureInfo.InvariantCulture));
    }

    /// <summary>Sets item <paramref name="id"/>'s version: a new file renamed over the old, so a reader never sees half of it.</summary>
    public static void Write(string directory, int id, long version)
    {
        var next = PathOf(directory, id) + ".next";
        File.WriteAllText(next, version.ToString(CultureInfo.InvariantCulture));
        File.Move(next, PathOf(directory, id), overwrite: true);
    }

    private static string PathOf(string directory, int id) => Path.Combine(directory, id.ToString(CultureInfo.InvariantCulture));
}
