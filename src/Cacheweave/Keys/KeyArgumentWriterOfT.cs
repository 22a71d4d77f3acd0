using System.Reflection;
using MessagePack;
using MessagePack.Formatters;

namespace Cacheweave.Keys;

/// <summary>Writes arguments of type <typeparamref name="T"/>: an unbox and a direct formatter call, no lookup per call.</summary>
internal sealed class KeyArgumentWriter<T> : KeyArgumentWriter
{
    private readonly IMessagePackFormatter<T> _formatter;
    private readonly MessagePackSerializerOptions _options;

    public KeyArgumentWriter(ParameterInfo parameter, MessagePackSerializerOptions options)
        : base(parameter)
    {
        _options = options;
        _formatter = options.Resolver.GetFormatterWithVerify<T>();
    }

    public override void Write(ref MessagePackWriter writer, object? argument) =>
        _formatter.Serialize(ref writer, (T)argument!, _options);
}
