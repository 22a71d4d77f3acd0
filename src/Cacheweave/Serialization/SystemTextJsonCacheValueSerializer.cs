using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Cacheweave.Serialization;

/// <summary>
/// A value serializer for shared tiers on System.Text.Json: readable payloads (UTF-8 JSON), public properties and
/// fields, <see cref="MaxDepth"/> levels of nesting at most, and no polymorphism the payload could drive.
/// </summary>
/// <remarks>
/// <para>
/// A value is refused with <see cref="CacheValueRejectedException"/> rather than stored as something else when it is
/// nested deeper than <see cref="MaxDepth"/> or cyclic, when an object in it has a runtime type other than its
/// declared non-sealed type, when a member declared as <see cref="object"/> holds a value, or when a string holds a
/// lone surrogate (JSON cannot carry one; the writer would store U+FFFD).
/// </para>
/// <para>
/// Reads are strict: unknown or duplicate properties, missing constructor parameters and trailing bytes make the
/// read a miss. <c>[JsonPolymorphic]</c>/<c>[JsonDerivedType]</c> declarations are ignored, so a payload never
/// chooses the type that gets created.
/// </para>
/// </remarks>
public sealed class SystemTextJsonCacheValueSerializer : ICacheValueSerializer
{
    /// <summary>The value of <see cref="FormatId"/>.</summary>
    public const byte Id = 2;

    private readonly JsonSerializerOptions _options;
    private readonly RoundTripTypeCheck _check;

    /// <summary>Creates the serializer.</summary>
    public SystemTextJsonCacheValueSerializer()
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(GuardContract);
        _options = new JsonSerializerOptions
        {
            MaxDepth = MaxDepth,
            IncludeFields = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectRequiredConstructorParameters = true,
            AllowDuplicateProperties = false,
            TypeInfoResolver = resolver,
            Converters = { StrictStringConverter.Instance, RejectObjectConverter.Instance },
        };
        _options.MakeReadOnly();
        _check = new RoundTripTypeCheck(
            static _ => false,
            ChooseConstructor,
            static member => member.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.Always });
    }

    /// <summary>A shared instance.</summary>
    public static SystemTextJsonCacheValueSerializer Instance { get; } = new();

    /// <summary>The deepest nesting of objects and arrays written or read.</summary>
    public static int MaxDepth => SerializationGuard.DefaultMaxDepth;

    /// <inheritdoc />
    public byte FormatId => Id;

    /// <inheritdoc />
    public void Serialize<T>(IBufferWriter<byte> destination, T value)
    {
        using var writer = new Utf8JsonWriter(destination, new JsonWriterOptions { MaxDepth = MaxDepth + 1 });
        try
        {
            JsonSerializer.Serialize(writer, value, _options);
        }
        catch (JsonException ex) when (ex.Message.Contains("cycle", StringComparison.OrdinalIgnoreCase) ||
                                       ex.Message.Contains("depth", StringComparison.OrdinalIgnoreCase))
        {
            throw new CacheValueRejectedException(
                string.Empty,
                CacheValueRejectionReason.TooDeep,
                $"The {typeof(T)} is nested deeper than {MaxDepth} levels or refers to itself.",
                ex);
        }
        catch (Exception ex) when (MessagePackCacheValueSerializer.FindRejection(ex) is { } rejection && rejection != ex)
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
            var read = JsonSerializer.Deserialize<T>(payload.Span, _options);
            if (read is null)
            {
                value = default;
                problem = "the JSON payload is null where a value was announced";
                return false;
            }

            value = read;
            problem = null;
            return true;
        }
#pragma warning disable CA1031 // Whatever the reader throws on untrusted bytes is a miss.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            value = default;
            problem = $"the JSON payload is not a valid {typeof(T)} ({ex.Message})";
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
                _ = _options.GetTypeInfo(type);
            }
            catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or ArgumentException)
            {
                problem = $"System.Text.Json cannot serialize {type}: {ex.Message}";
            }
        }

        return problem is null;
    }

    private static void GuardContract(JsonTypeInfo contract)
    {
        // The payload must not choose the type: drop any [JsonPolymorphic]/[JsonDerivedType] declaration.
        contract.PolymorphismOptions = null;
        if (contract.Kind is JsonTypeInfoKind.Dictionary or JsonTypeInfoKind.Enumerable && GuardedTypes.IsUnordered(contract.Type))
        {
            // Only the entries are written: a collection with a comparer other than the default would come back without it.
            contract.OnSerializing = value =>
            {
                if (CollectionComparer.NonDefaultComparerOf(value) is { } comparer)
                {
                    throw CollectionComparer.Lost(value, comparer);
                }
            };
        }

        if (contract.Kind == JsonTypeInfoKind.Object && !contract.Type.IsValueType && !contract.Type.IsSealed)
        {
            var declared = contract.Type;
            contract.OnSerializing = value =>
            {
                if (value.GetType() != declared)
                {
                    throw new CacheValueRejectedException(
                        string.Empty,
                        CacheValueRejectionReason.RuntimeTypeMismatch,
                        $"An object of type {value.GetType()} is declared as {declared}: it would be stored, and read back, as a {declared}.");
                }
            };
        }
    }

    // System.Text.Json uses [JsonConstructor], else the public parameterless constructor, else the only public one.
    private static ConstructorInfo? ChooseConstructor(Type type, ConstructorInfo[] constructors)
    {
        var marked = type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .FirstOrDefault(static c => c.IsDefined(typeof(JsonConstructorAttribute)));
        if (marked is not null)
        {
            return marked;
        }

        return constructors.FirstOrDefault(static c => c.GetParameters().Length == 0)
            ?? (constructors.Length == 1 ? constructors[0] : null);
    }
}
