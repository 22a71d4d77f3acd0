using System.Buffers;
using Cacheweave.Serialization;
using MessagePack;

namespace Cacheweave.Tests.Serialization;

public sealed class GuardStringTests
{
    [Theory]
    [InlineData("")]
    [InlineData("plain ascii")]
    [InlineData("Grüße, 東京")]
    [InlineData("pair \uD83D\uDE00 emoji")]
    [InlineData("a\uFFFD")]
    public void A_well_formed_string_is_written_as_before(string text)
    {
        Assert.Equal(MessagePackSerializer.Serialize(text, GuardWriter.Plain), GuardWriter.Write(text, GuardWriter.Key));
        Assert.Equal(MessagePackSerializer.Serialize(text, GuardWriter.Plain), GuardWriter.Write(text, GuardWriter.Value));
    }

    [Fact]
    public void Strings_with_lone_surrogates_are_written_distinctly()
    {
        string[] texts = ["a\uD800", "a\uDFFF", "a\uFFFD", "\uDE00\uD83D", "a\uD800b", "a"];

        var written = texts.Select(t => Convert.ToHexString(GuardWriter.Write(t, GuardWriter.Key))).ToArray();

        Assert.Equal(texts.Length, written.Distinct().Count());
    }

    [Fact]
    public void A_string_with_a_lone_surrogate_is_an_extension_of_its_code_units()
    {
        var bytes = GuardWriter.Write("a\uD800", GuardWriter.Key);

        var reader = new MessagePackReader(bytes);
        var header = reader.ReadExtensionFormatHeader();
        Assert.Equal(SerializationGuard.StringCodeUnitsExtension, header.TypeCode);
        Assert.Equal(new byte[] { 0x61, 0x00, 0x00, 0xD8 }, reader.ReadRaw(header.Length).ToArray());
    }

    // Attribute strings are stored as UTF-8, which cannot hold a lone surrogate: the cases are code units.
    [Theory]
    [InlineData(new int[] { 'a', 0xD800 })]
    [InlineData(new int[] { 0xDFFF })]
    [InlineData(new int[] { 'x', 0xDE00, 0xD83D, 'y' })]
    public void A_string_with_a_lone_surrogate_reads_back_as_itself(int[] units)
    {
        var text = Text(units);
        var bytes = GuardWriter.Write(text, GuardWriter.Value);

        Assert.Equal(text, MessagePackSerializer.Deserialize<string>(bytes, GuardWriter.Value));
    }

    [Fact]
    public void Lone_surrogates_are_kept_apart_inside_collections_and_dictionary_keys()
    {
        Assert.NotEqual(GuardWriter.Write(new List<string> { "a\uD800" }, GuardWriter.Key), GuardWriter.Write(new List<string> { "a\uDFFF" }, GuardWriter.Key));
        Assert.NotEqual(
            GuardWriter.Write(new Dictionary<string, int> { ["a\uD800"] = 1 }, GuardWriter.Key),
            GuardWriter.Write(new Dictionary<string, int> { ["a\uFFFD"] = 1 }, GuardWriter.Key));
    }

    [Theory]
    [InlineData(new int[] { 'a', 'b', 'c' }, true)]
    [InlineData(new int[] { 0xD83D, 0xDE00 }, true)]
    [InlineData(new int[] { 0xD83D, 0xDE00, 0xD83D, 0xDE00, 'x' }, true)]
    [InlineData(new int[] { 0xD83D }, false)]
    [InlineData(new int[] { 0xDE00 }, false)]
    [InlineData(new int[] { 'a', 0xD83D, 0xD83D, 0xDE00 }, false)]
    [InlineData(new int[] { 0xD83D, 0xDE00, 0xDE00 }, false)]
    public void Well_formedness_is_every_surrogate_in_a_high_low_pair(int[] units, bool wellFormed)
    {
        Assert.Equal(wellFormed, GuardedStringFormatter.IsWellFormed(Text(units)));
    }

    private static string Text(int[] units) => new([.. units.Select(u => (char)u)]);
}
