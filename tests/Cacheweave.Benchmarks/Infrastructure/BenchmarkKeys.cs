namespace Cacheweave.Benchmarks.Infrastructure;

/// <summary>
/// Pre-built keys shaped like Cacheweave's own (<c>cw:&lt;prefix&gt;:</c> then 43 base64url characters, as a
/// SHA-256 would give), so that hashing and comparing them costs what it costs in use, and no measured loop
/// formats a string. The characters come from a fast deterministic generator, not a real hash, so that a
/// million keys take milliseconds to build.
/// </summary>
public static class BenchmarkKeys
{
    private const int HashLength = 43;
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

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

                // The first 6 characters spell the index (36 bits), which keeps the keys distinct; the rest vary pseudo-randomly.
                var index = (ulong)state.i;
                for (var c = 0; c < 6; c++)
                {
                    tail[c] = Alphabet[(int)(index & 63)];
                    index >>= 6;
                }

                var mixer = (ulong)state.i * 0x9E3779B97F4A7C15UL;
                for (var c = 6; c < tail.Length; c++)
                {
                    mixer = SplitMix(mixer);
                    tail[c] = Alphabet[(int)(mixer >> 58)];
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
