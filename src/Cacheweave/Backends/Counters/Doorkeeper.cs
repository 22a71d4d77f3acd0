using System.Numerics;

namespace Cacheweave.Backends.Counters;

/// <summary>
/// A Bloom filter that stands in front of a <see cref="CountMinSketch"/>: the first time a key is seen in an
/// aging period it only sets its bits here, and only later sightings reach the sketch's counters. Most keys of a
/// real workload are seen once (one-hit wonders); keeping them out of the counters leaves fewer collisions for
/// the keys whose frequency decides admission. Cleared whenever the sketch ages. Not thread-safe; the owning
/// backend's lock guards it.
/// </summary>
internal sealed class Doorkeeper
{
    // Three probes from one 64-bit mix; with the size below the filter holds the few times 'capacity' distinct
    // keys of one aging period at a false-positive rate around one percent.
    private const int BitsPerEntry = 64;

    private readonly ulong[] _bits;
    private readonly ulong _mask;

    internal Doorkeeper(int capacity)
    {
        var bits = BitOperations.RoundUpToPowerOf2((ulong)Math.Max(capacity, 1) * BitsPerEntry);
        bits = Math.Clamp(bits, 64, 1UL << 30);
        _bits = new ulong[bits / 64];
        _mask = bits - 1;
    }

    /// <summary>Records <paramref name="spreadHash"/>; returns <see langword="true"/> if it was (probably) already present.</summary>
    internal bool Put(ulong spreadHash)
    {
        var present = true;
        for (var probe = 0; probe < 3; probe++)
        {
            var bit = Probe(spreadHash, probe);
            ref var word = ref _bits[(int)(bit >> 6)];
            var flag = 1UL << (int)(bit & 63);
            if ((word & flag) == 0)
            {
                present = false;
                word |= flag;
            }
        }

        return present;
    }

    /// <summary>Whether <paramref name="spreadHash"/> was (probably) recorded since the last <see cref="Clear"/>.</summary>
    internal bool Contains(ulong spreadHash)
    {
        for (var probe = 0; probe < 3; probe++)
        {
            var bit = Probe(spreadHash, probe);
            if ((_bits[(int)(bit >> 6)] & (1UL << (int)(bit & 63))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    internal void Clear() => Array.Clear(_bits);

    // Double hashing (Kirsch and Mitzenmacher): probe i is h1 + i * h2, which is as good as independent hashes.
    private ulong Probe(ulong hash, int probe) => ((hash >> 32) + ((ulong)probe * (hash | 1))) & _mask;
}
