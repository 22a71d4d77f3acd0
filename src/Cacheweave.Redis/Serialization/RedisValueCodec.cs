using System.Buffers;
using MessagePack;
using MessagePack.Resolvers;

namespace Cacheweave.Redis.Serialization;

/// <summary>
/// The bytes a <see cref="RedisBackend"/> stores: a one-byte format header, then for a value its MessagePack
/// encoding. <c>0x00</c> alone is a cached null; <c>0x01</c> is followed by a MessagePack payload of the
/// caller's type.
/// </summary>
/// <remarks>
/// Whatever is read back is untrusted (anyone with access to the server can write under a key): it is decoded
/// only as the type the caller names, with the untrusted-data security mode and a contractless resolver that
/// carries no type names — never a typeless or polymorphic resolver — so a payload cannot choose the type that
/// gets created.
/// </remarks>
internal static class RedisValueCodec
{
    public const byte NullHeader = 0x00;
    public const byte MessagePackHeader = 0x01;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>The serializer options of every Redis payload.</summary>
    public static MessagePackSerializerOptions SerializerOptions { get; } = MessagePackSerializerOptions.Standard
        .WithResolver(CompositeResolver.Create(NativeDateTimeResolver.Instance, ContractlessStandardResolver.Instance))
        .WithSecurity(MessagePackSecurity.UntrustedData);

    /// <summary>Encodes <paramref name="value"/>.</summary>
    /// <exception cref="MessagePackSerializationException">The value cannot be serialized.</exception>
    public static byte[] Encode<T>(T value)
    {
        if (value is null)
        {
            return [NullHeader];
        }

        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        try
        {
            buffer.GetSpan(1)[0] = MessagePackHeader;
            buffer.Advance(1);
            MessagePackSerializer.Serialize(buffer, value, SerializerOptions);
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            // Do not let one huge value pin a huge buffer to the thread.
            if (buffer.Capacity > 64 * 1024)
            {
                t_buffer = null;
            }
        }
    }

    /// <summary>Decodes <paramref name="bytes"/> as a <typeparamref name="T"/>.</summary>
    /// <param name="bytes">The stored bytes.</param>
    /// <param name="value">The decoded value (a cached null is <see langword="null"/>).</param>
    /// <param name="problem">Why the bytes were rejected.</param>
    /// <param name="exception">The decoder's exception, when it threw one.</param>
    /// <returns><see langword="true"/> when the bytes are a well-formed encoding of a <typeparamref name="T"/>.</returns>
    public static bool TryDecode<T>(ReadOnlyMemory<byte> bytes, out T? value, out string? problem, out Exception? exception)
    {
        value = default;
        exception = null;
        if (bytes.IsEmpty)
        {
            problem = "the value is empty";
            return false;
        }

        switch (bytes.Span[0])
        {
            case NullHeader when bytes.Length == 1:
                if (default(T) is not null)
                {
                    problem = $"a cached null cannot be a {typeof(T)}";
                    return false;
                }

                problem = null;
                return true;

            case MessagePackHeader when bytes.Length > 1:
                try
                {
                    value = MessagePackSerializer.Deserialize<T>(bytes[1..], SerializerOptions, out var read);
                    if (read != bytes.Length - 1)
                    {
                        value = default;
                        problem = $"{bytes.Length - 1 - read} bytes follow the MessagePack payload";
                        return false;
                    }

                    problem = null;
                    return true;
                }
#pragma warning disable CA1031 // Any decoder failure on untrusted bytes is a miss, whatever its type.
                catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
                {
                    value = default;
                    problem = "the MessagePack payload is not a valid " + typeof(T);
                    exception = ex;
                    return false;
                }

            default:
                problem = $"the format header 0x{bytes.Span[0]:x2} of a {bytes.Length}-byte value is unknown";
                return false;
        }
    }
}
