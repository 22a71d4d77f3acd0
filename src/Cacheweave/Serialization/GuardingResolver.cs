using System.Collections.Concurrent;
using Cacheweave.Keys;
using MessagePack;
using MessagePack.Formatters;

namespace Cacheweave.Serialization;

/// <summary>Hands out the inner resolver's formatters wrapped by the guard (see <see cref="SerializationGuard"/>).</summary>
internal sealed class GuardingResolver : IFormatterResolver
{
    private readonly ConcurrentDictionary<Type, RuntimeTypeWriter> _runtimeTypeWriters = new();

    public GuardingResolver(IFormatterResolver inner, GuardMode mode, int maxDepth)
    {
        Inner = inner;
        Mode = mode;
        MaxDepth = maxDepth;
    }

    /// <summary>The resolver whose formatters are wrapped.</summary>
    public IFormatterResolver Inner { get; }

    /// <summary>Key bytes or stored values.</summary>
    public GuardMode Mode { get; }

    /// <summary>How many nested guarded levels a value may have.</summary>
    public int MaxDepth { get; }

    /// <inheritdoc/>
    public IMessagePackFormatter<T>? GetFormatter<T>() => GuardedFormatterCache<T>.Get(this);

    /// <summary>Builds the guarded formatter for <typeparamref name="T"/>; null when the inner resolver has none.</summary>
    internal IMessagePackFormatter<T>? Create<T>()
    {
        var type = typeof(T);
        if (HiddenState.IsJson(type))
        {
            // Checked before the inner resolver, which has no formatter for the abstract JsonNode and JsonValue.
            return new JsonTextFormatter<T>();
        }

        var inner = Inner.GetFormatter<T>();
        if (inner is null)
        {
            return null;
        }

        if (Mode == GuardMode.Key && HiddenState.WhyIndescribable(type, inner) is { } reason)
        {
            throw new MessagePackSerializationException(reason);
        }

        if (type == typeof(string))
        {
            return (IMessagePackFormatter<T>)(object)new GuardedStringFormatter((IMessagePackFormatter<string?>)(object)inner);
        }

        if (type.IsValueType || type == typeof(byte[]))
        {
            return inner;
        }

        return new GuardedFormatter<T>(
            inner,
            this,
            checkRuntimeType: GuardedTypes.MayHoldAnotherType(type),
            unordered: GuardedTypes.IsUnordered(type));
    }

    /// <summary>The writer of tagged values whose runtime type is <paramref name="runtimeType"/>.</summary>
    internal RuntimeTypeWriter RuntimeTypeWriterFor(Type runtimeType) =>
        _runtimeTypeWriters.GetOrAdd(runtimeType, static (type, resolver) => RuntimeTypeWriter.Create(type, resolver), this);

    /// <summary>The exception for a graph nested deeper than <see cref="MaxDepth"/>, found at a value of <paramref name="type"/>.</summary>
    internal Exception TooDeep(Type type)
    {
        var message =
            $"The object graph is nested more than {MaxDepth} levels deep, or refers to itself (a cycle); the limit was reached " +
            $"at a {MethodIdentity.Of(type)}.";
        return Mode == GuardMode.Key
            ? new InvalidOperationException(message)
            : new CacheValueRejectedException(string.Empty, CacheValueRejectionReason.TooDeep, message);
    }

    /// <summary>The value-mode exception for a value of <paramref name="runtimeType"/> declared as <paramref name="declaredType"/>.</summary>
    internal static CacheValueRejectedException RuntimeTypeMismatch(Type declaredType, Type runtimeType)
    {
        var declared = MethodIdentity.Of(declaredType);
        return new CacheValueRejectedException(
            string.Empty,
            CacheValueRejectionReason.RuntimeTypeMismatch,
            $"A value declared as {declared} is a {MethodIdentity.Of(runtimeType)}; it would be read back as {declared}, so it is not stored.");
    }
}
