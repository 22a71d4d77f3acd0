using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cacheweave.Keys;
using MessagePack;

namespace Cacheweave.Serialization;

/// <summary>
/// Checks on types MessagePack's contractless formatter would describe badly: JSON types, whose content it cannot see,
/// get <see cref="JsonTextFormatter{T}"/>; a type that keeps its state where the contractless formatter never looks is
/// refused, in keys because every value of it would write the same bytes and share one key, in stored values because
/// it would come back as a fresh instance.
/// </summary>
internal static class HiddenState
{
    /// <summary>Whether <paramref name="type"/> is written by <see cref="JsonTextFormatter{T}"/>.</summary>
    public static bool IsJson(Type type) =>
        type == typeof(JsonElement) || type == typeof(JsonDocument) || typeof(JsonNode).IsAssignableFrom(type);

    /// <summary>
    /// Why values of <paramref name="type"/>, written by a generated contractless formatter, cannot be told apart in a
    /// key; <see langword="null"/> when they can. Such a type has instance fields but nothing the contractless writer
    /// reads them through (<see cref="HidesState"/>): no public field, no public property with a setter or <c>init</c>,
    /// no get-only property named after a public constructor's parameter, and no <see cref="MessagePackObjectAttribute"/>.
    /// A class that is configured through methods (<c>filter.SetMinimum(5)</c>) is the usual case.
    /// </summary>
    public static string? WhyIndescribable(Type type, object formatter) =>
        formatter.GetType().Assembly.IsDynamic && HidesState(type)
            ? $"{MethodIdentity.Of(type)} keeps its state in non-public fields and has no public field, settable property or " +
              "property named after a constructor parameter through which a key could describe it, so all its values would share one key."
            : null;

    /// <summary>
    /// Whether <paramref name="type"/> (not a collection, not a <see cref="MessagePackObjectAttribute"/> type) has
    /// instance fields but no member the contractless formatter writes: no public field, no public property with a
    /// public setter or <c>init</c>, and no public property named after a parameter of a public constructor (the only
    /// way a get-only property is written). Every value of such a type is written as an empty map: a serializer that
    /// goes through public members can neither tell its values apart nor restore them.
    /// </summary>
    public static bool HidesState(Type type)
    {
        if (typeof(IEnumerable).IsAssignableFrom(type)
            || type.IsDefined(typeof(MessagePackObjectAttribute), inherit: true)
            || IsJson(type)
            || !HasInstanceFields(type))
        {
            return false;
        }

        const BindingFlags Public = BindingFlags.Public | BindingFlags.Instance;
        if (type.GetFields(Public).Length > 0)
        {
            return false;
        }

        var parameters = type.GetConstructors(Public)
            .SelectMany(static constructor => constructor.GetParameters())
            .Select(static parameter => parameter.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return !type.GetProperties(Public).Any(property =>
            property.GetMethod is { IsPublic: true }
            && property.GetIndexParameters().Length == 0
            && (property.SetMethod is { IsPublic: true } || parameters.Contains(property.Name)));
    }

    /// <summary>Whether <paramref name="type"/> or a base type declares an instance field, of any visibility.</summary>
    public static bool HasInstanceFields(Type type)
    {
        for (var current = type; current is not null && current != typeof(object) && current != typeof(ValueType); current = current.BaseType)
        {
            if (current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly).Length > 0)
            {
                return true;
            }
        }

        return false;
    }
}
