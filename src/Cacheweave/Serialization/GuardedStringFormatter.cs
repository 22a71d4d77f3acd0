using System.Buffers;
using System.Buffers.Binary;
using MessagePack;
using MessagePack.Formatters;

namespace Cacheweave.Serialization;

/// <summary>
/// Writes well-formed strings with the inner formatter (so their bytes never change) and strings with a lone
/// surrogate as an extension of type <see cref="SerializationGuard.StringCodeUnitsExtension"/> holding their UTF-16
/// code units, little-endian: UTF-8 cannot carry a lone surrogate, and MessagePack would write U+FFFD in its place,
/// making <c>"a\uD800"</c>, <c>"a\uDFFF"</c> and <c>"a\uFFFD"</c> the same bytes. Reads both forms.
/// </summary>
internal sealed class GuardedStringFormatter : IMessagePackFormatter<string?>
{
    private readonly IMessagePackFormatter<string?> _inner;

    public GuardedStringFormatter(IMessagePackFormatter<string?> inner)
    {
        _inner = inner;
    }

    /// <summary>Whether <paramref name="text"/> is well-formed UTF-16: every surrogate is part of a high-low pair.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        var i = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        while (i >= 0)
        {
            if (!char.IsHighSurrogate(text[i]) || i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
            {
                return false;
            }

            i += 2;
            var next = text[i..].IndexOfAnyInRange('\uD800', '\uDFFF');
            i = next < 0 ? -1 : i + next;
        }

        return true;
    }

    public void Serialize(ref MessagePackWriter writer, string? value, MessagePackSerializerOptions options)
    {
        if (value is null || IsWellFormed(value))
        {
            _inner.Serialize(ref writer, value, options);
            return;
        }

        var length = value.Length * sizeof(char);
        writer.WriteExtensionFormatHeader(new ExtensionHeader(SerializationGuard.StringCodeUnitsExtension, (uint)length));
        var span = writer.GetSpan(length);
        for (var i = 0; i < value.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[(i * sizeof(char))..], value[i]);
        }

        writer.Advance(length);
    }

    public string? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.NextMessagePackType != MessagePackType.Extension)
        {
            return _inner.Deserialize(ref reader, options);
        }

        var header = reader.ReadExtensionFormatHeader();
        if (header.TypeCode != SerializationGuard.StringCodeUnitsExtension || header.Length % sizeof(char) != 0)
        {
            throw new MessagePackSerializationException(
                $"Expected a string, found a MessagePack extension of type {header.TypeCode} and length {header.Length}.");
        }

        var units = reader.ReadRaw(header.Length);
        return string.Create((int)(header.Length / sizeof(char)), units, static (chars, units) =>
        {
            Span<byte> pair = stackalloc byte[sizeof(char)];
            var reader = new SequenceReader<byte>(units);
            for (var i = 0; i < chars.Length; i++)
            {
                reader.TryCopyTo(pair);
                reader.Advance(sizeof(char));
                chars[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(pair);
            }
        });
    }
}
