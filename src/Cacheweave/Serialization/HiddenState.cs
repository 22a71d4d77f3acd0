using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cacheweave.Keys;
using MessagePack;

namespace Cacheweave.Serialization;

/// <summary>
/// Key-mode checks on types MessagePack's contractless writer would describe badly: JSON types, whose content it cannot
/// see, get <see cref="JsonKeyFormatter{T}"/>; a type that keeps its state where the contractless writer never looks is
/// refused, because every value of it would write the same bytes and share one key.
/// </summary>
internal static class HiddenState
{
    /// <summary>Whether <paramref name="type"/> is written by <see cref="JsonKeyFormatter{T}"/> in keys.</summary>
    public static bool IsJson(Type type) =>
        type == typeof(JsonElement) || type == typeof(JsonDocument) || typeof(JsonNode).IsAssignableFrom(type);

    /// <summary>
    /// Why values of <paramref name="type"/>, written by a generated contractless formatter, cannot be told apart in a
    /// key; <see langword="null"/> when they can. Such a type has instance fields but nothing the contractless writer
    /// reads them through: no public field, no public property with a setter or <c>init</c>, no public constructor
    /// with parameters (which is how get-only properties count), and no <see cref="MessagePackObjectAttribute"/>.
    /// A class that is configured through methods (<c>filter.SetMinimum(5)</c>) is the usual case.
    /// </summary>
    public static string? WhyIndescribable(Type type, object formatter)
    {
        if (!formatter.GetType().Assembly.IsDynamic
            || typeof(IEnumerable).IsAssignableFrom(type)
            || type.IsDefined(typeof(MessagePackObjectAttribute), inherit: true)
            || !HasInstanceFields(type))
        {
            return null;
        }

        const BindingFlags Public = BindingFlags.Public | BindingFlags.Instance;
        var describable = type.GetFields(Public).Length > 0
            || type.GetProperties(Public).Any(property => property.SetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0)
            || type.GetConstructors(Public).Any(constructor => constructor.GetParameters().Length > 0);
        return describable
            ? null
            : $"{MethodIdentity.Of(type)} keeps its state in non-public fields and has no public field, settable property or " +
              "constructor parameter through which a key could describe it, so all its values would share one key.";
    }

    private static bool HasInstanceFields(Type type)
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
