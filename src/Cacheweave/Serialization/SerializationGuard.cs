using System.Collections.Concurrent;
using MessagePack;

namespace Cacheweave.Serialization;

/// <summary>
/// The guard every MessagePack write of a key or a stored value passes through: a depth limit on writing (MessagePack
/// checks depth only when reading; writing a cyclic or very deep graph would overflow the stack and end the process),
/// a runtime-type policy for declared types that can hold a subtype, and a string rule for text that is not
/// well-formed UTF-16.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="CreateOptions"/> wraps the resolver of existing options. Every formatter the wrapped resolver hands out
/// for a reference type (objects, collections, interfaces, <see cref="object"/>) counts one level per nested value on
/// the writing thread and throws past the limit, so a cycle ends at the limit too. Strings, value types and
/// <c>byte[]</c> come from the inner resolver unchanged (a value type cannot contain itself, so recursion always
/// passes a guarded reference type), except that strings get the string rule.
/// </para>
/// <para>
/// Runtime types: for a declared type that is not sealed (a class that is not sealed, an abstract class, an interface,
/// <see cref="object"/>) the runtime type of each non-null value is compared with the declared type. When they are
/// equal nothing changes: the bytes are the inner formatter's. When they differ, <see cref="GuardMode.Key"/> writes
/// the value as a MessagePack extension of type <see cref="RuntimeTypeExtension"/> whose body is the runtime type's
/// stable name (a MessagePack string, as <c>MethodIdentity.Of(Type)</c> writes it) followed by the value serialized
/// as its runtime type; <see cref="GuardMode.Value"/> refuses it with <see cref="CacheValueRejectedException"/>
/// (<see cref="CacheValueRejectionReason.RuntimeTypeMismatch"/>), because it would be read back as the declared
/// type. The generic collection interfaces (<c>IEnumerable&lt;T&gt;</c>, <c>IReadOnlyList&lt;T&gt;</c>,
/// <c>IDictionary&lt;TKey, TValue&gt;</c>, …) and their non-generic forms are exempt: MessagePack writes their
/// content, element by element, and that content is what the value is.
/// </para>
/// <para>
/// Strings that are well-formed UTF-16 are written by the inner formatter (UTF-8, as always). A string with a lone
/// surrogate, which UTF-8 cannot carry (MessagePack would replace it with U+FFFD), is written as an extension of type
/// <see cref="StringCodeUnitsExtension"/> holding its UTF-16 code units, little-endian; the guarded formatter reads
/// that form back into the same string.
/// </para>
/// <para>
/// In <see cref="GuardMode.Key"/> dictionaries and sets (types that implement <c>IDictionary&lt;TKey, TValue&gt;</c>,
/// <c>IReadOnlyDictionary&lt;TKey, TValue&gt;</c>, <c>IDictionary</c>, <c>ISet&lt;T&gt;</c> or
/// <c>IReadOnlySet&lt;T&gt;</c>) are written with their entries sorted by the entries' own bytes (key then value for
/// a map), so equal contents give equal bytes whatever the insertion order or hash seed.
/// </para>
/// <para>
/// Why <see cref="DefaultMaxDepth"/> is 200: measured on a 1 MB thread with the contractless formatters (a property
/// getter recording its stack address at each level), one guarded level takes 320 bytes (a class in a class member),
/// 416 bytes (a subtype tagged in an <see cref="object"/> member) and 432 bytes (lists nested through
/// <see cref="object"/> elements). 200 levels therefore take under 100 KB: a tenth of a 1 MB stack, a fifteenth of a
/// Linux thread-pool thread's 1.5 MB, with room for the caller's own frames, while real arguments and results (records
/// of collections of records) stay far below 200 levels. Reading takes the same limit as
/// <see cref="MessagePackSecurity.MaximumObjectGraphDepth"/> (MessagePack's own default is 500).
/// </para>
/// </remarks>
internal static class SerializationGuard
{
    /// <summary>The depth limit keys and values are written and read with.</summary>
    public const int DefaultMaxDepth = 200;

    /// <summary>The MessagePack extension type code of a value tagged with its runtime type (key mode only).</summary>
    public const sbyte RuntimeTypeExtension = 40;

    /// <summary>The MessagePack extension type code of a string written as UTF-16 code units because it is not well-formed.</summary>
    public const sbyte StringCodeUnitsExtension = 41;

    /// <summary>
    /// The MessagePack extension type code of a dictionary or set written with the description of a comparer other than
    /// its key type's default (key mode only; see <see cref="CollectionComparer"/>).
    /// </summary>
    public const sbyte ComparerExtension = 42;

    private static readonly ConcurrentDictionary<(IFormatterResolver Inner, GuardMode Mode, int MaxDepth), GuardingResolver> Resolvers = new();

    /// <summary>
    /// Returns <paramref name="inner"/> with its resolver wrapped by the guard and its reading depth limit set to
    /// <paramref name="maxDepth"/>. Calls with the same inner resolver, mode and limit share one guarding resolver, so
    /// formatters are built once; call it once per setting and keep the options.
    /// </summary>
    /// <param name="inner">The options to guard (their resolver decides how each type is written).</param>
    /// <param name="mode">Whether the options write key bytes or stored values.</param>
    /// <param name="maxDepth">How many nested objects and collections a value may have; also the reading limit.</param>
    /// <returns>Options whose formatters enforce the guard. Writing through them throws
    /// <see cref="InvalidOperationException"/> (key mode) or <see cref="CacheValueRejectedException"/> (value mode) for
    /// a graph deeper than <paramref name="maxDepth"/> or cyclic, and in value mode for a runtime type other than the
    /// declared one. <c>MessagePackSerializer.Serialize</c> wraps them in a <see cref="MessagePackSerializationException"/>;
    /// a formatter called directly throws them as they are.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDepth"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="inner"/> is already guarded.</exception>
    public static MessagePackSerializerOptions CreateOptions(MessagePackSerializerOptions inner, GuardMode mode, int maxDepth = DefaultMaxDepth)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 1);
        if (inner.Resolver is GuardingResolver)
        {
            throw new ArgumentException("The options are already guarded.", nameof(inner));
        }

        var resolver = Resolvers.GetOrAdd((inner.Resolver, mode, maxDepth), static key => new GuardingResolver(key.Inner, key.Mode, key.MaxDepth));
        return inner.WithResolver(resolver).WithSecurity(inner.Security.WithMaximumObjectGraphDepth(maxDepth));
    }
}
