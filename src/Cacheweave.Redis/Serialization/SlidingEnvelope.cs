using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Cacheweave.Redis.Serialization;

/// <summary>
/// The 9 bytes in front of a sliding entry's encoded value: <c>S</c> (<c>0x53</c>, which no <see cref="RedisValueCodec"/>
/// header starts with) and the sliding window in milliseconds, 64-bit big-endian. A read that finds it pushes the
/// expiry forward by the window; a window of 0 is a sliding entry whose time to live was changed since, which no
/// longer slides. Entries that do not slide have no envelope, so their bytes are as before.
/// </summary>
internal static class SlidingEnvelope
{
    public const byte Marker = 0x53;
    public const string MarkerText = "S";
    public const int Size = 1 + sizeof(long);

    /// <summary>The envelope of a <paramref name="milliseconds"/> window.</summary>
    public static byte[] Header(long milliseconds)
    {
        var header = new byte[Size];
        header[0] = Marker;
        BinaryPrimitives.WriteInt64BigEndian(header.AsSpan(1), milliseconds);
        return header;
    }

    /// <summary><paramref name="encoded"/> behind the envelope of a <paramref name="milliseconds"/> window.</summary>
    public static byte[] Wrap(byte[] encoded, long milliseconds)
    {
        var bytes = new byte[Size + encoded.Length];
        Header(milliseconds).CopyTo(bytes, 0);
        encoded.CopyTo(bytes, Size);
        return bytes;
    }

    /// <summary>Takes the envelope off <paramref name="bytes"/> when there is one; bytes without one pass unchanged with a window of 0.</summary>
    /// <returns><see langword="false"/> when the bytes start like an envelope but are not a well-formed one.</returns>
    public static bool TryUnwrap(ref ReadOnlyMemory<byte> bytes, out long window, [NotNullWhen(false)] out string? problem)
    {
        window = 0;
        problem = null;
        if (bytes.Length == 0 || bytes.Span[0] != Marker)
        {
            return true;
        }

        if (bytes.Length <= Size)
        {
            problem = $"the {bytes.Length}-byte value starts a sliding envelope but holds nothing behind it";
            return false;
        }

        var milliseconds = BinaryPrimitives.ReadInt64BigEndian(bytes.Span[1..Size]);
        if (milliseconds < 0)
        {
            problem = $"the sliding window of {milliseconds} ms is negative";
            return false;
        }

        window = milliseconds;
        bytes = bytes[Size..];
        return true;
    }
}
