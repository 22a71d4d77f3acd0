namespace Cacheweave.Benchmarks.Infrastructure;

/// <summary>
/// Pre-built keys shaped like Cacheweave's own (<c>cw:&lt;prefix&gt;:</c> then 64 lowercase hex digits, as
/// <c>CacheKeyBuilder</c> writes a SHA-256), so that hashing and comparing them costs what it costs in use, and no
/// measured loop formats a string. The digits come from a fast deterministic generator, not a real hash, so that
/// a million keys take a fraction of a second to build.
/// </summary>
public static class BenchmarkKeys
{
    private const int HashLength = 64;
    private const string Alphabet = "0123456789abcdef";

    /// <summary>Creates <paramref name="count"/> distinct keys; a different <paramref name="prefix"/> gives a disjoint set.</summary>
    public static string[] Create(int count, string prefix = "bench")
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var head = $"cw:{prefix}:";
        var keys = new string[count];
        for (var i = 0; i < count; i++)
        {
            keys[i] = string.Create(head.Length + HashLength, (head, i), static (chars, state) =>
            {
                state.head.AsSpan().CopyTo(chars);
                var tail = chars[state.head.Length..];

                // The first 8 digits spell the index, which keeps the keys distinct; the rest vary pseudo-randomly.
                var index = (uint)state.i;
                for (var c = 0; c < 8; c++)
                {
                    tail[c] = Alphabet[(int)(index & 15)];
                    index >>= 4;
                }

                var mixer = (ulong)state.i * 0x9E3779B97F4A7C15UL;
                for (var c = 8; c < tail.Length; c++)
                {
                    mixer = SplitMix(mixer);
                    tail[c] = Alphabet[(int)(mixer >> 60)];
                }
            });
        }

        return keys;
    }

    /// <summary>
    /// A read order over <paramref name="keys"/>: <paramref name="length"/> references (a power of two, so a
    /// loop can wrap with a mask) drawn uniformly at random with a fixed seed.
    /// </summary>
    public static string[] RandomOrder(string[] keys, int length, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (!int.IsPow2(length))
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "The read order's length must be a power of two.");
        }

        var random = new Random(seed);
        var order = new string[length];
        for (var i = 0; i < length; i++)
        {
            order[i] = keys[random.Next(keys.Length)];
        }

        return order;
    }

    private static ulong SplitMix(ulong state)
    {
        var z = state + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
