using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Cacheweave.Keys;

namespace Cacheweave.Serialization;

/// <summary>
/// Describes, for a cache key, the comparer that decides a dictionary's or set's membership or order when it is not
/// the default one of its key type. Two collections with the same entries but different comparers are different
/// arguments: <c>ContainsKey("A")</c> on a dictionary of "a" is true under <see cref="StringComparer.OrdinalIgnoreCase"/>
/// and false under the default comparer, and a <see cref="SortedSet{T}"/> enumerates in its comparer's order. The key's
/// canonical (byte-sorted) entries hide both, so the comparer is written beside them.
/// </summary>
/// <remarks>
/// The comparer is read from the collection's public <c>Comparer</c> (or <c>KeyComparer</c>) property, typed
/// <see cref="IEqualityComparer{T}"/> or <see cref="IComparer{T}"/>, as on <see cref="Dictionary{TKey, TValue}"/>,
/// <see cref="HashSet{T}"/> and the sorted, concurrent and immutable collections, or from the protected
/// <c>EqualityComparer</c> of a <see cref="Hashtable"/>; a collection without one keeps the key it had. A default
/// comparer, and ordinal equality on strings (which is what the default does), write nothing, so the keys of ordinary
/// dictionaries and sets do not change. Well-known string comparers are described by what they compare (ordinal or
/// culture, case); any other comparer by its type, which describes it only when instances of the type cannot differ: a
/// comparer type with instance fields (one built from a delegate, one configured through its constructor) is refused,
/// naming its type.
/// </remarks>
internal static class CollectionComparer
{
    private static readonly ConcurrentDictionary<Type, ComparerReader?> Readers = new();
    private static readonly ConcurrentDictionary<Type, string?> TypeDescriptions = new();

    /// <summary>
    /// The description of <paramref name="collection"/>'s comparer, or <see langword="null"/> when it uses its key
    /// type's default comparer or has none that can be read.
    /// </summary>
    /// <exception cref="InvalidOperationException">The comparer holds state that a description by type would miss.</exception>
    public static string? Describe(object collection)
    {
        if (NonDefaultComparerOf(collection) is not { } comparer)
        {
            return null;
        }

        if (comparer is IEqualityComparer<string?> strings)
        {
            if (StringComparer.IsWellKnownOrdinalComparer(strings, out var ignoreCase))
            {
                return ignoreCase ? "ordinal, ignoring case" : "ordinal";
            }

            if (StringComparer.IsWellKnownCultureAwareComparer(strings, out var compareInfo, out var options))
            {
                return string.Create(CultureInfo.InvariantCulture, $"culture '{compareInfo.Name}', {options}");
            }
        }

        var type = comparer.GetType();
        return TypeDescriptions.GetOrAdd(type, DescribeType) ?? throw new InvalidOperationException(
            $"The {MethodIdentity.Of(collection.GetType())} compares its keys with a {MethodIdentity.Of(type)}, which holds state " +
            "(instance fields) that a cache key cannot describe: two such collections with equal entries but differently configured " +
            "comparers would share a key. Use a default or well-known string comparer, or a comparer type without instance fields.");
    }

    /// <summary>
    /// The comparer of <paramref name="collection"/> when it behaves differently from its key type's default one;
    /// otherwise <see langword="null"/>. A serializer stores only the entries, so a collection with such a comparer is
    /// read back comparing differently (a case-insensitive dictionary comes back case-sensitive).
    /// </summary>
    public static object? NonDefaultComparerOf(object collection)
    {
        var reader = Readers.GetOrAdd(collection.GetType(), ComparerReader.For);
        if (reader is null || reader.Read(collection) is not { } comparer)
        {
            return null;
        }

        // Ordinal equality is what the default does for strings; ordinal order is not the default order
        // (Comparer<string>.Default compares by the current culture).
        return !reader.IsOrder
            && comparer is IEqualityComparer<string?> strings
            && StringComparer.IsWellKnownOrdinalComparer(strings, out var ignoreCase)
            && !ignoreCase
                ? null
                : comparer;
    }

    /// <summary>The refusal to store <paramref name="collection"/>, whose <paramref name="comparer"/> a serializer would drop.</summary>
    public static CacheValueRejectedException Lost(object collection, object comparer) =>
        new(
            string.Empty,
            CacheValueRejectionReason.Unserializable,
            $"The {MethodIdentity.Of(collection.GetType())} compares its keys with a {MethodIdentity.Of(comparer.GetType())}; only its " +
            "entries are stored, so it would be read back with the default comparer and answer lookups differently. It is not stored.");

    // A comparer type whose instances cannot differ (no instance fields anywhere in its hierarchy) is described by its
    // name; null for a type with state.
    private static string? DescribeType(Type type) => HiddenState.HasInstanceFields(type) ? null : "type " + MethodIdentity.Of(type);

    // Reads a collection type's comparer property; the default comparer of its key type reads as null.
    private sealed class ComparerReader(MethodInfo getter, object? defaultComparer, bool isOrder)
    {
        /// <summary>Whether the comparer orders the keys (<see cref="IComparer{T}"/>) rather than only matching them.</summary>
        public bool IsOrder { get; } = isOrder;

        public object? Read(object collection)
        {
            var comparer = getter.Invoke(collection, null);
            return comparer is null || comparer.Equals(defaultComparer) ? null : comparer;
        }

        public static ComparerReader? For(Type collectionType)
        {
            if (typeof(Hashtable).IsAssignableFrom(collectionType))
            {
                // Hashtable keeps its comparer behind a protected property; without one it compares with Equals.
                var hidden = typeof(Hashtable).GetProperty("EqualityComparer", BindingFlags.NonPublic | BindingFlags.Instance)!.GetMethod!;
                return new ComparerReader(hidden, defaultComparer: null, isOrder: false);
            }

            var property = ComparerProperty(collectionType, "Comparer") ?? ComparerProperty(collectionType, "KeyComparer");
            if (property?.GetMethod is not { } getter)
            {
                return null;
            }

            var isOrder = property.PropertyType.GetGenericTypeDefinition() == typeof(IComparer<>);
            var defaultComparer = (isOrder ? typeof(Comparer<>) : typeof(EqualityComparer<>))
                .MakeGenericType(property.PropertyType.GetGenericArguments()[0])
                .GetProperty("Default", BindingFlags.Public | BindingFlags.Static)!
                .GetValue(null)!;
            return new ComparerReader(getter, defaultComparer, isOrder);
        }

        private static PropertyInfo? ComparerProperty(Type collectionType, string name)
        {
            var property = collectionType.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            if (property is null || property.GetIndexParameters().Length != 0 || !property.PropertyType.IsGenericType)
            {
                return null;
            }

            var definition = property.PropertyType.GetGenericTypeDefinition();
            return definition == typeof(IEqualityComparer<>) || definition == typeof(IComparer<>) ? property : null;
        }
    }
}
