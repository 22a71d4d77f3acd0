using System.Numerics;
using System.Runtime.InteropServices;

namespace Cacheweave.Backends.Lfu;

/// <summary>
/// The hash code under which TinyLFU counts a key's uses. It is the same in every process and run, unlike
/// <see cref="string.GetHashCode()"/> (randomised per process), so that a replayed trace gives the same hit ratio
/// every time and a tuning result can be trusted; the count-min sketch mixes it further. Keys whose hashes collide
/// only share frequency estimates: a collision can make a cold key look warm, never lose or mix up a value.
/// </summary>
internal static class KeyHash
{
    internal static int Of(string key)
    {
        // Four bytes at a time, rotate-xor-multiply (the shape of rustc's FxHash), then the length.
        var bytes = MemoryMarshal.AsBytes(key.AsSpan());
        var words = MemoryMarshal.Cast<byte, uint>(bytes);
        var h = 0u;
        foreach (var word in words)
        {
            h = (BitOperations.RotateLeft(h, 5) ^ word) * 0x2722_0A95u;
        }

        if ((bytes.Length & 2) != 0)
        {
            h = (BitOperations.RotateLeft(h, 5) ^ bytes[^2] ^ ((uint)bytes[^1] << 8)) * 0x2722_0A95u;
        }

        return (int)((BitOperations.RotateLeft(h, 5) ^ (uint)key.Length) * 0x2722_0A95u);
    }
}
