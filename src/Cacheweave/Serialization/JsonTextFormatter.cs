using System.Text.Json;
using System.Text.Json.Nodes;
using MessagePack;
using MessagePack.Formatters;

namespace Cacheweave.Serialization;

/// <summary>
/// Writes a JSON value (<see cref="JsonElement"/>, <see cref="JsonDocument"/>, <see cref="JsonNode"/> and its
/// subclasses) as its compact JSON text, in keys and in stored values, and reads a stored one back by parsing it.
/// MessagePack's contractless formatter sees none of their content (a <see cref="JsonElement"/> keeps it in private
/// fields, a <see cref="JsonValue"/> has no public members): every request body of a shape shared one key, and a
/// stored <see cref="JsonElement"/> came back undefined.
/// </summary>
/// <remarks>
/// The text is re-written compactly (whitespace dropped), so one document formatted two ways gives one key; property
/// order and number spelling are kept as they are, so documents that differ only there give two keys (a miss, never
/// another document's value). An undefined <see cref="JsonElement"/> (<c>default</c>) is written as nil and read back
/// as undefined. Reading parses with <see cref="System.Text.Json"/>'s default depth limit (64), so a stored payload
/// cannot nest without bound; text that does not parse as the requested type throws, which the serializer turns
/// into a miss.
/// </remarks>
/// <typeparam name="T">One of the JSON types <see cref="HiddenState.IsJson"/> accepts.</typeparam>
internal sealed class JsonTextFormatter<T> : IMessagePackFormatter<T>
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

    public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return default!;
        }

        var text = reader.ReadString() ?? throw new MessagePackSerializationException("A JSON value was stored as nil text.");
        object parsed;
        if (typeof(T) == typeof(JsonElement) || typeof(T) == typeof(JsonElement?))
        {
            using var document = JsonDocument.Parse(text);
            parsed = document.RootElement.Clone();
        }
        else if (typeof(T) == typeof(JsonDocument))
        {
            parsed = JsonDocument.Parse(text);
        }
        else
        {
            parsed = JsonNode.Parse(text) ?? throw new MessagePackSerializationException("The stored JSON is null where a node was written.");
        }

        return parsed is T typed
            ? typed
            : throw new MessagePackSerializationException($"The stored JSON is a {parsed.GetType().Name}, not a {typeof(T).Name}.");
    }
}
