using System.Collections;

namespace Cacheweave.Serialization;

/// <summary>Which declared types the guard checks for runtime types, and which it writes in canonical order.</summary>
internal static class GuardedTypes
{
    // Interfaces MessagePack writes as their content (elements or entries): the concrete collection behind them is not
    // part of the value.
    private static readonly HashSet<Type> ContentInterfaces =
    [
        typeof(IEnumerable<>), typeof(ICollection<>), typeof(IList<>), typeof(IReadOnlyCollection<>), typeof(IReadOnlyList<>),
        typeof(ISet<>), typeof(IReadOnlySet<>), typeof(IDictionary<,>), typeof(IReadOnlyDictionary<,>), typeof(ILookup<,>),
        typeof(IGrouping<,>),
    ];

    private static readonly HashSet<Type> NonGenericContentInterfaces = [typeof(IEnumerable), typeof(ICollection), typeof(IList), typeof(IDictionary)];

    private static readonly HashSet<Type> UnorderedInterfaces = [typeof(ISet<>), typeof(IReadOnlySet<>), typeof(IDictionary<,>), typeof(IReadOnlyDictionary<,>)];

    /// <summary>Whether a value declared as <paramref name="type"/> can have another runtime type that matters.</summary>
    /// <remarks>A type with MessagePack [Union] declarations is exempt: its formatter writes the union key of the runtime subtype and refuses undeclared ones.</remarks>
    public static bool MayHoldAnotherType(Type type) =>
        !type.IsSealed && !type.IsDefined(typeof(MessagePack.UnionAttribute), inherit: false) && !(type.IsInterface && (NonGenericContentInterfaces.Contains(type)
            || (type.IsGenericType && ContentInterfaces.Contains(type.GetGenericTypeDefinition()))));

    /// <summary>Whether <paramref name="type"/> is a dictionary or a set, whose enumeration order is not part of its value.</summary>
    public static bool IsUnordered(Type type) =>
        IsUnorderedInterface(type) || typeof(IDictionary).IsAssignableFrom(type) || type.GetInterfaces().Any(IsUnorderedInterface);

    private static bool IsUnorderedInterface(Type type) =>
        type.IsInterface && type.IsGenericType && UnorderedInterfaces.Contains(type.GetGenericTypeDefinition());
}
