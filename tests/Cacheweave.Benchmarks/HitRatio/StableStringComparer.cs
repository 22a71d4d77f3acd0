namespace Cacheweave.Benchmarks.HitRatio;

/// <summary>
/// Ordinal string equality with a hash code that is the same in every process. .NET randomises
/// <see cref="string.GetHashCode()"/> per process, and BitFaster's <c>ConcurrentLfu</c> feeds the comparer's hash
/// code to its count-min sketch, so with <see cref="StringComparer.Ordinal"/> its hit ratio on a replayed trace
/// changed from run to run (by up to a point on the small traces); with this comparer a replay is reproducible.
/// The hash is 64-bit FNV-1a over the UTF-16 code units, finished with a multiply-xorshift so that every bit
/// of the result depends on every character.
/// </summary>
public sealed class StableStringComparer : IEqualityComparer<string>
{
    private StableStringComparer()
    {
    }

    /// <summary>The one instance.</summary>
    public static StableStringComparer Instance { get; } = new();

    /// <inheritdoc/>
    public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

    /// <inheritdoc/>
    public int GetHashCode(string obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var h = 0xCBF2_9CE4_8422_2325UL;
        foreach (var c in obj)
        {
            h = (h ^ c) * 0x0000_0100_0000_01B3UL;
        }

        h = (h ^ (h >> 29)) * 0xBF58_476D_1CE4_E5B9UL;
        return (int)(h ^ (h >> 32));
    }
}
