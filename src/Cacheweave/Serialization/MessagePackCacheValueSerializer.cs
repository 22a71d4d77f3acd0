using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace Cacheweave.Serialization;

/// <summary>
/// The default value serializer of shared tiers: MessagePack with the contractless resolver (records and plain
/// classes need no attributes; public properties and fields are stored by name), <see cref="DateTime.Kind"/> kept,
/// strings with lone surrogates kept exactly, and the untrusted-data security mode on reads, all behind the
/// serialization guard in value mode.
/// </summary>
/// <remarks>
/// No typeless or dynamic-union fallback resolver is used, so a payload never names the type that gets created:
/// an abstract type or interface is read only through the subtypes declared on it with <see cref="UnionAttribute"/>.
/// Writes go through the serialization guard: a value nested deeper than <see cref="MaxDepth"/> (or cyclic), or holding
/// an object whose runtime type differs from its declared non-sealed type, throws
/// <see cref="CacheValueRejectedException"/> instead of being stored as something else.
/// </remarks>
public sealed class MessagePackCacheValueSerializer : ICacheValueSerializer
{
    /// <summary>The value of <see cref="FormatId"/>.</summary>
    public const byte Id = 1;

    // One guarded resolver for every instance: the guard builds each type's formatter once per inner resolver.
    // string[] goes through the generic array formatter so that its elements get the guard's string rule (the
    // built-in string[] formatter writes UTF-8 directly and would replace a lone surrogate with U+FFFD).
    private static readonly MessagePackSerializerOptions s_options = SerializationGuard.CreateOptions(
        MessagePackSerializerOptions.Standard
            .WithResolver(CompositeResolver.Create(
                [new ArrayFormatter<string?>()],
                [NativeDateTimeResolver.Instance, ContractlessStandardResolver.Instance]))
            .WithSecurity(MessagePackSecurity.UntrustedData),
        GuardMode.Value,
        SerializationGuard.DefaultMaxDepth);

    private readonly MessagePackSerializerOptions _options = s_options;
    private readonly RoundTripTypeCheck _check;

    /// <summary>Creates the serializer.</summary>
    public MessagePackCacheValueSerializer()
    {
        _check = new RoundTripTypeCheck(
            static type => type.IsDefined(typeof(UnionAttribute), inherit: false),
            ChooseConstructor,
            static member => member.IsDefined(typeof(IgnoreMemberAttribute)) ||
                member.IsDefined(typeof(System.Runtime.Serialization.IgnoreDataMemberAttribute)));
    }

    /// <summary>A shared instance.</summary>
    public static MessagePackCacheValueSerializer Instance { get; } = new();

    /// <summary>The deepest nesting of objects and collections written or read.</summary>
    public static int MaxDepth => SerializationGuard.DefaultMaxDepth;

    /// <inheritdoc />
    public byte FormatId => Id;

    /// <inheritdoc />
    public void Serialize<T>(IBufferWriter<byte> destination, T value)
    {
        try
        {
            MessagePackSerializer.Serialize(destination, value, _options);
        }
        catch (MessagePackSerializationException ex) when (FindRejection(ex) is { } rejection)
        {
            throw rejection;
        }

        // Direct PutAsync calls have no registration check: a type that would come back default-filled is refused here.
        ValueRoundTripCheck.EnsureWritten<T>(this);
    }

    /// <inheritdoc />
    public bool TryDeserialize<T>(ReadOnlyMemory<byte> payload, [MaybeNullWhen(false)] out T value, [NotNullWhen(false)] out string? problem)
    {
        try
        {
            var read = MessagePackSerializer.Deserialize<T>(payload, _options, out var consumed);
            if (consumed != payload.Length)
            {
                value = default;
                problem = $"{payload.Length - consumed} bytes follow the MessagePack payload";
                return false;
            }

            if (read is null)
            {
                value = default;
                problem = "the MessagePack payload is nil where a value was announced";
                return false;
            }

            value = read;
            problem = null;
            return true;
        }
#pragma warning disable CA1031 // Whatever the decoder throws on untrusted bytes is a miss.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            value = default;
            problem = $"the MessagePack payload is not a valid {typeof(T)} ({ex.GetBaseException().Message})";
            return false;
        }
    }

    /// <inheritdoc />
    public bool CanRoundTrip(Type type, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(type);
        problem = _check.FindProblem(type);
        if (problem is null)
        {
            try
            {
                if (_options.Resolver.GetFormatterDynamic(type) is null)
                {
                    problem = $"MessagePack has no formatter for {type}";
                }
            }
#pragma warning disable CA1031 // The resolver reports an unsupported type with whatever exception the type's formatter throws.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                problem = $"MessagePack cannot serialize {type}: {ex.GetBaseException().Message}";
            }
        }

        return problem is null;
    }

    internal static CacheValueRejectedException? FindRejection(Exception exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is CacheValueRejectedException rejection)
            {
                return rejection;
            }
        }

        return null;
    }

    // MessagePack's contractless resolver uses [SerializationConstructor], else the public constructor with the most
    // parameters whose parameters all match stored members by name and type.
    private static ConstructorInfo? ChooseConstructor(Type type, ConstructorInfo[] constructors)
    {
        var marked = constructors.FirstOrDefault(static c => c.IsDefined(typeof(SerializationConstructorAttribute)));
        if (marked is not null)
        {
            return marked;
        }

        var members = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(static p => (p.Name, Type: p.PropertyType))
            .Concat(type.GetFields(BindingFlags.Public | BindingFlags.Instance).Select(static f => (f.Name, Type: f.FieldType)))
            .ToList();
        return constructors
            .OrderByDescending(static c => c.GetParameters().Length)
            .FirstOrDefault(c => c.GetParameters().All(p =>
                members.Any(m => string.Equals(m.Name, p.Name, StringComparison.OrdinalIgnoreCase) && m.Type == p.ParameterType)));
    }
}
