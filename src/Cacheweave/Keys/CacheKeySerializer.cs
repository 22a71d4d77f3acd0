using Cacheweave.Serialization;
using MessagePack;
using MessagePack.Resolvers;

namespace Cacheweave.Keys;

/// <summary>The MessagePack settings that turn arguments into key bytes. Changing them changes every key.</summary>
/// <remarks>
/// Contractless, so records and plain classes serialize by their public members without attributes.
/// <see cref="DateTime"/> is written as <see cref="DateTime.ToBinary"/> (the standard formatter converts
/// unspecified times as if they were local, which would make keys depend on the machine's time zone);
/// <see cref="Guid"/> and <see cref="decimal"/> as their raw bytes. Everything passes the serialization guard in
/// <see cref="GuardMode.Key"/> (<see cref="SerializationGuard"/>): a depth limit, runtime types of values declared as
/// non-sealed types, strings with lone surrogates, and dictionaries and sets in canonical order. Key bytes are only
/// ever written, never read, so no untrusted data passes through these options.
/// </remarks>
internal static class CacheKeySerializer
{
    /// <summary>The options every key is built with.</summary>
    public static MessagePackSerializerOptions Options { get; } = SerializationGuard.CreateOptions(
        MessagePackSerializerOptions.Standard.WithResolver(
            CompositeResolver.Create(
                NativeDateTimeResolver.Instance,
                NativeGuidResolver.Instance,
                NativeDecimalResolver.Instance,
                ContractlessStandardResolver.Instance)),
        GuardMode.Key,
        SerializationGuard.DefaultMaxDepth);
}
