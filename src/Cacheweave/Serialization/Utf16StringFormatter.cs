using System.Buffers;
using System.Buffers.Binary;
using MessagePack;
using MessagePack.Formatters;

namespace Cacheweave.Serialization;

/// <summary>
/// Writes strings as MessagePack strings when they are valid UTF-16, and as an extension of their UTF-16 code units
/// when they hold a lone surrogate, which UTF-8 cannot carry (the standard formatter would store U+FFFD instead).
/// </summary>
internal sealed class Utf16StringFormatter : IMessagePackFormatter<string?>
{
    /// <summary>The MessagePack extension type code of a string stored as UTF-16 code units.</summary>
    public const sbyte ExtensionTypeCode = 17;

    public static Utf16StringFormatter Instance { get; } = new();

    public void Serialize(ref MessagePackWriter writer, string? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        if (!HasLoneSurrogate(value))
        {
            writer.Write(value);
            return;
        }

        writer.WriteExtensionFormatHeader(new ExtensionHeader(ExtensionTypeCode, checked(value.Length * 2)));
        var span = writer.GetSpan(value.Length * 2);
        for (var i = 0; i < value.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[(i * 2)..], value[i]);
        }

        writer.Advance(value.Length * 2);
    }

    public string? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.NextMessagePackType != MessagePackType.Extension)
        {
            return reader.ReadString();
        }

        var extension = reader.ReadExtensionFormat();
        if (extension.Header.TypeCode != ExtensionTypeCode || extension.Data.Length % 2 != 0)
        {
            throw new MessagePackSerializationException(
                $"Expected a string; found the extension type {extension.Header.TypeCode} of {extension.Data.Length} bytes.");
        }

        var units = (int)(extension.Data.Length / 2);
        return string.Create(units, extension.Data, static (chars, data) =>
        {
            Span<byte> pair = stackalloc byte[2];
            var reader = new SequenceReader<byte>(data);
            for (var i = 0; i < chars.Length; i++)
            {
                reader.TryCopyTo(pair);
                reader.Advance(2);
                chars[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(pair);
            }
        });
    }

    /// <summary>Whether <paramref name="value"/> holds a surrogate that is not part of a pair.</summary>
    internal static bool HasLoneSurrogate(ReadOnlySpan<char> value)
    {
        var next = value.IndexOfAnyInRange('\uD800', '\uDFFF');
        while (next >= 0)
        {
            if (!char.IsHighSurrogate(value[next]) || next + 1 >= value.Length || !char.IsLowSurrogate(value[next + 1]))
            {
                return true;
            }

            next += 2;
            var rest = value[next..].IndexOfAnyInRange('\uD800', '\uDFFF');
            next = rest < 0 ? -1 : next + rest;
        }

        return false;
    }
}
