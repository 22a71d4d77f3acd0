using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cacheweave.Serialization;

/// <summary>Writes strings to JSON only when JSON can carry them exactly: a lone surrogate is refused, not replaced.</summary>
internal sealed class StrictStringConverter : JsonConverter<string>
{
    public static StrictStringConverter Instance { get; } = new();

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Checked(value));

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() ?? throw new JsonException("A property name is null.");

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WritePropertyName(Checked(value));

    private static string Checked(string value) => !GuardedStringFormatter.IsWellFormed(value)
        ? throw new CacheValueRejectedException(
            string.Empty,
            CacheValueRejectionReason.Unserializable,
            "A string holds a lone surrogate, which JSON cannot carry (it would be read back as U+FFFD). Use the MessagePack value serializer for such strings.")
        : value;
}
