using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cacheweave.Serialization;

/// <summary>
/// Refuses members declared as <see cref="object"/>: System.Text.Json would write the runtime type's members and read
/// back a <see cref="JsonElement"/>.
/// </summary>
internal sealed class RejectObjectConverter : JsonConverter<object>
{
    public static RejectObjectConverter Instance { get; } = new();

    public override object? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new JsonException("A member declared as System.Object cannot be read back as the object written.");

    public override void Write(Utf8JsonWriter writer, object value, JsonSerializerOptions options) =>
        throw new CacheValueRejectedException(
            string.Empty,
            CacheValueRejectionReason.RuntimeTypeMismatch,
            $"A {value.GetType()} is declared as System.Object: JSON would read it back as a JsonElement.");
}
