using Cacheweave.Keys;
using MessagePack;
using MessagePack.Formatters;

namespace Cacheweave.Serialization;

/// <summary>Writes values of runtime type <typeparamref name="T"/> tagged with the type's stable name.</summary>
internal sealed class RuntimeTypeWriter<T> : RuntimeTypeWriter
{
    private readonly byte[] _name;
    private readonly IMessagePackFormatter<T>? _formatter;
    private readonly string _typeName;
    private readonly Exception? _noFormatter;

    public RuntimeTypeWriter(GuardingResolver resolver)
    {
        _typeName = MethodIdentity.Of(typeof(T));
        _name = MessagePackSerializer.Serialize(_typeName, MessagePackSerializerOptions.Standard);
        try
        {
            _formatter = resolver.GetFormatter<T>();
        }
        catch (Exception e) when (e is TypeInitializationException or MessagePackSerializationException)
        {
            // The contractless resolver throws for types it cannot build a formatter for (a delegate, a type without a
            // usable constructor); kept, so that every value of this type fails with the same message.
            _noFormatter = e;
        }
    }

    public override void WriteTagged(ref MessagePackWriter writer, object value, MessagePackSerializerOptions options)
    {
        var formatter = _formatter ?? throw NoFormatter();
        var buffer = ScratchBuffers.Rent();
        try
        {
            var body = writer.Clone(buffer);
            body.WriteRaw(_name);
            formatter.Serialize(ref body, (T)value, options);
            body.Flush();
            writer.WriteExtensionFormatHeader(new ExtensionHeader(SerializationGuard.RuntimeTypeExtension, (uint)buffer.WrittenCount));
            writer.WriteRaw(buffer.WrittenSpan);
        }
        finally
        {
            ScratchBuffers.Return(buffer);
        }
    }

    private InvalidOperationException NoFormatter()
    {
        var cause = _noFormatter;
        while (cause?.InnerException is not null)
        {
            cause = cause.InnerException;
        }

        return new InvalidOperationException(
            $"The value is a {_typeName}, which MessagePack cannot serialize{(cause is null ? "." : $": {cause.Message}")}",
            _noFormatter);
    }
}
