using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Cacheweave.Serialization;
using K4os.Compression.LZ4;

namespace Cacheweave.Redis.Serialization;

/// <summary>
/// The bytes a <see cref="RedisBackend"/> stores (format 2): an 11-byte header, then the payload.
/// </summary>
/// <remarks>
/// <para>
/// Header: the format version (<c>0x02</c>), the serializer's <see cref="ICacheValueSerializer.FormatId"/>, a flags
/// byte (<c>0x01</c> a cached null, with no payload; <c>0x02</c> the payload is LZ4-compressed and starts with its
/// decompressed length as a 32-bit little-endian integer) and the 8-byte <see cref="TypeFingerprint"/> of the value's
/// declared type, big-endian.
/// </para>
/// <para>
/// Whatever is read back is untrusted: a header of another format, serializer or type, unknown flags, a length outside
/// the limits, or a payload the serializer refuses make the read a miss, never an exception or an object of another type.
/// Format 1 (a single <c>0x00</c>/<c>0x01</c> byte before MessagePack) is no longer read: such entries are misses and are
/// overwritten on the next write.
/// </para>
/// </remarks>
internal sealed class RedisValueCodec
{
    public const byte FormatVersion = 0x02;
    public const int HeaderSize = 11;
    public const byte NullFlag = 0x01;
    public const byte Lz4Flag = 0x02;
    private const int LengthSize = 4;
    private const int KeptBufferSize = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    private readonly int _maxValueSize;
    private readonly int? _compressionThreshold;

    /// <param name="serializer">Serializes the payload.</param>
    /// <param name="maxValueSize">The most bytes a serialized payload may have, before compression.</param>
    /// <param name="compressionThreshold">Payloads of at least this many bytes are LZ4-compressed (when that saves space); null never compresses.</param>
    public RedisValueCodec(ICacheValueSerializer serializer, int maxValueSize, int? compressionThreshold)
    {
        Serializer = serializer;
        _maxValueSize = maxValueSize;
        _compressionThreshold = compressionThreshold;
    }

    public ICacheValueSerializer Serializer { get; }

    /// <summary>Encodes <paramref name="value"/> with its header.</summary>
    /// <exception cref="CacheValueRejectedException">The value is too large, too deep, cyclic or of a mismatched runtime type (without a key).</exception>
    /// <exception cref="Exception">The serializer's own exception when it cannot serialize the value.</exception>
    public byte[] Encode<T>(T value)
    {
        var fingerprint = TypeFingerprint.Of(typeof(T));
        if (value is null)
        {
            var header = new byte[HeaderSize];
            WriteHeader(header, NullFlag, fingerprint);
            return header;
        }

        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        try
        {
            buffer.Advance(HeaderSize);
            Serializer.Serialize(new BoundedBufferWriter(buffer, HeaderSize + _maxValueSize, typeof(T)), value);
            var payload = buffer.WrittenSpan[HeaderSize..];
            if (_compressionThreshold is { } threshold && payload.Length >= threshold && TryCompress(payload, fingerprint) is { } compressed)
            {
                return compressed;
            }

            var bytes = buffer.WrittenSpan.ToArray();
            WriteHeader(bytes, 0, fingerprint);
            return bytes;
        }
        finally
        {
            // Do not let one large value pin a large buffer to the thread.
            if (buffer.Capacity > KeptBufferSize)
            {
                t_buffer = null;
            }
        }
    }

    /// <summary>Decodes <paramref name="bytes"/> as a <typeparamref name="T"/>; never throws for malformed bytes.</summary>
    /// <param name="bytes">The stored bytes.</param>
    /// <param name="value">The decoded value (a cached null is <see langword="null"/>).</param>
    /// <param name="problem">Why the bytes were refused.</param>
    /// <returns><see langword="true"/> when the bytes are a well-formed encoding of a <typeparamref name="T"/> by this codec's serializer.</returns>
    public bool TryDecode<T>(ReadOnlyMemory<byte> bytes, out T? value, [NotNullWhen(false)] out string? problem)
    {
        value = default;
        var span = bytes.Span;
        if (span.Length < HeaderSize || span[0] != FormatVersion)
        {
            problem = span.Length > 0 && span[0] is 0x00 or 0x01
                ? $"the {bytes.Length}-byte value was written in format 1 by an older Cacheweave (format 2 is read)"
                : $"the {bytes.Length}-byte value does not start with a format-2 header";
            return false;
        }

        if (span[1] != Serializer.FormatId)
        {
            problem = $"the value was written by serializer {span[1]}, not by {Serializer.GetType().Name} ({Serializer.FormatId})";
            return false;
        }

        var flags = span[2];
        var fingerprint = BinaryPrimitives.ReadUInt64BigEndian(span[3..HeaderSize]);
        var expected = TypeFingerprint.Of(typeof(T));
        if (fingerprint != expected)
        {
            problem = $"the value was written for another type or another shape of {typeof(T)} (fingerprint {fingerprint:x16}, expected {expected:x16})";
            return false;
        }

        switch (flags)
        {
            case NullFlag when bytes.Length == HeaderSize:
                if (default(T) is not null)
                {
                    problem = $"a cached null cannot be a {typeof(T)}";
                    return false;
                }

                problem = null;
                return true;

            case 0 when bytes.Length > HeaderSize:
                if (bytes.Length - HeaderSize > _maxValueSize)
                {
                    problem = $"the payload of {bytes.Length - HeaderSize:N0} bytes exceeds the maximum value size of {_maxValueSize:N0} bytes";
                    return false;
                }

                return Deserialize(bytes[HeaderSize..], out value, out problem);

            case Lz4Flag when bytes.Length > HeaderSize + LengthSize:
                return TryDecompress(bytes[HeaderSize..], out value, out problem);

            default:
                problem = $"the flags 0x{flags:x2} of a {bytes.Length}-byte value are invalid";
                return false;
        }
    }

    private void WriteHeader(Span<byte> destination, byte flags, ulong fingerprint)
    {
        destination[0] = FormatVersion;
        destination[1] = Serializer.FormatId;
        destination[2] = flags;
        BinaryPrimitives.WriteUInt64BigEndian(destination[3..HeaderSize], fingerprint);
    }

    private byte[]? TryCompress(ReadOnlySpan<byte> payload, ulong fingerprint)
    {
        var rented = ArrayPool<byte>.Shared.Rent(LZ4Codec.MaximumOutputSize(payload.Length));
        try
        {
            var length = LZ4Codec.Encode(payload, rented, LZ4Level.L00_FAST);
            if (length <= 0 || length + LengthSize >= payload.Length)
            {
                return null;
            }

            var bytes = new byte[HeaderSize + LengthSize + length];
            WriteHeader(bytes, Lz4Flag, fingerprint);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(HeaderSize), payload.Length);
            rented.AsSpan(0, length).CopyTo(bytes.AsSpan(HeaderSize + LengthSize));
            return bytes;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private bool TryDecompress<T>(ReadOnlyMemory<byte> compressed, out T? value, [NotNullWhen(false)] out string? problem)
    {
        value = default;
        var length = BinaryPrimitives.ReadInt32LittleEndian(compressed.Span);
        if (length <= 0 || length > _maxValueSize)
        {
            problem = $"the compressed payload announces {length:N0} bytes, outside 1..{_maxValueSize:N0}";
            return false;
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var decoded = LZ4Codec.Decode(compressed.Span[LengthSize..], rented.AsSpan(0, length));
            if (decoded != length)
            {
                problem = $"the compressed payload does not decompress to the {length:N0} bytes it announces";
                return false;
            }

            return Deserialize(rented.AsMemory(0, length), out value, out problem);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private bool Deserialize<T>(ReadOnlyMemory<byte> payload, out T? value, [NotNullWhen(false)] out string? problem)
    {
        if (Serializer.TryDeserialize<T>(payload, out var read, out problem))
        {
            value = read;
            return true;
        }

        value = default;
        return false;
    }
}
