using System.Globalization;

namespace Cacheweave.FaultNode;

/// <summary>
/// Reads an item's version from the truth directory. When a race is armed, the next call announces on stdout that it
/// has read the truth ("started"), then holds its result for a while, so that the test can change the truth and
/// invalidate the tag in between: its write then lands after the invalidation.
/// </summary>
public sealed class SlowableItemSource(string directory) : IItemSource
{
    private int _armed;

    public TimeSpan Hold { get; init; } = TimeSpan.FromMilliseconds(500);

    public void ArmRace() => Volatile.Write(ref _armed, 1);

    public async Task<long> GetAsync(int id)
    {
        var version = FileVersionSource.Read(directory, id.ToString(CultureInfo.InvariantCulture));
        if (Interlocked.Exchange(ref _armed, 0) == 1)
        {
            Console.WriteLine("started");
            await Task.Delay(Hold);
        }

        return version;
    }
}
