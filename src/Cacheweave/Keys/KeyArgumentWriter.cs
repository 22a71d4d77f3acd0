using System.Reflection;
using MessagePack;
using MessagePack.Formatters;

namespace Cacheweave.Keys;

/// <summary>Writes one parameter's argument into the key bytes, with a formatter resolved once per parameter.</summary>
internal abstract class KeyArgumentWriter
{
    protected KeyArgumentWriter(ParameterInfo parameter)
    {
        Parameter = parameter;
        Position = parameter.Position;
    }

    /// <summary>The parameter whose argument this writer serializes.</summary>
    public ParameterInfo Parameter { get; }

    /// <summary>The parameter's position: the index of its argument in the call's argument array.</summary>
    public int Position { get; }

    /// <summary>Creates the writer for <paramref name="parameter"/>, resolving its formatter now.</summary>
    /// <exception cref="MessagePackSerializationException">No formatter exists for the parameter type.</exception>
    public static KeyArgumentWriter Create(ParameterInfo parameter, MessagePackSerializerOptions options)
    {
        var writerType = typeof(KeyArgumentWriter<>).MakeGenericType(parameter.ParameterType);
        try
        {
            return (KeyArgumentWriter)Activator.CreateInstance(writerType, parameter, options)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new MessagePackSerializationException(e.InnerException.Message, e.InnerException);
        }
    }

    /// <summary>Writes <paramref name="argument"/>, which must be of the parameter's type.</summary>
    public abstract void Write(ref MessagePackWriter writer, object? argument);
}
