using System.Text.Json;
using System.Text.Json.Nodes;
using MessagePack;
using MessagePack.Formatters;

namespace Cacheweave.Serialization;

/// <summary>
/// Writes a JSON argument (<see cref="JsonElement"/>, <see cref="JsonDocument"/>, <see cref="JsonNode"/> and its
/// subclasses) into a cache key as its compact JSON text. MessagePack's contractless writer sees none of their content
/// (a <see cref="JsonElement"/> keeps it in private fields, a <see cref="JsonValue"/> has no public members), so every
/// request body of the same shape shared one key. Key mode only; keys are never read back.
/// </summary>
/// <remarks>
/// The text is re-written compactly (whitespace dropped), so one document formatted two ways gives one key; property
/// order and number spelling are kept as they are, so documents that differ only there give two keys (a miss, never
/// another document's value). An undefined <see cref="JsonElement"/> (<c>default</c>) is written as nil.
/// </remarks>
/// <typeparam name="T">One of the JSON types <see cref="HiddenState.IsJson"/> accepts.</typeparam>
internal sealed class JsonKeyFormatter<T> : IMessagePackFormatter<T>
{
    public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
    {
        if (value is null || value is JsonElement { ValueKind: JsonValueKind.Undefined })
        {
            writer.WriteNil();
            return;
        }

        var buffer = ScratchBuffers.Rent();
        try
        {
            using (var json = new Utf8JsonWriter(buffer))
            {
                switch (value)
                {
                    case JsonElement element:
                        element.WriteTo(json);
                        break;
                    case JsonDocument document:
                        document.WriteTo(json);
                        break;
                    case JsonNode node:
                        node.WriteTo(json);
                        break;
                    default:
                        throw new InvalidOperationException($"{typeof(T)} is not a JSON type.");
                }
            }

            writer.WriteString(buffer.WrittenSpan);
        }
        finally
        {
            ScratchBuffers.Return(buffer);
        }
    }

    public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        throw new NotSupportedException("Cache keys are written, never read.");
}
