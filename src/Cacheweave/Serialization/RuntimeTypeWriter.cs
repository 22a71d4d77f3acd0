using System.Reflection;
using MessagePack;

namespace Cacheweave.Serialization;

/// <summary>
/// Writes a value tagged with its runtime type: an extension of type <see cref="SerializationGuard.RuntimeTypeExtension"/>
/// holding the type's stable name and the value as that type. One per runtime type and resolver, built on first use.
/// </summary>
internal abstract class RuntimeTypeWriter
{
    /// <summary>Creates the writer for values of <paramref name="runtimeType"/>.</summary>
    public static RuntimeTypeWriter Create(Type runtimeType, GuardingResolver resolver)
    {
        try
        {
            return (RuntimeTypeWriter)Activator.CreateInstance(typeof(RuntimeTypeWriter<>).MakeGenericType(runtimeType), resolver)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    /// <summary>Writes <paramref name="value"/>, whose runtime type is this writer's type.</summary>
    public abstract void WriteTagged(ref MessagePackWriter writer, object value, MessagePackSerializerOptions options);
}
