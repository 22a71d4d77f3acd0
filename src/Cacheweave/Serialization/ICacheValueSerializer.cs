using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Cacheweave.Serialization;

/// <summary>
/// Turns cached results into bytes for a shared tier (such as Redis) and back. The bytes read back are untrusted:
/// anyone who can write to the tier can plant them.
/// </summary>
/// <remarks>
/// <para>
/// Implementations: <see cref="MessagePackCacheValueSerializer"/> (the default) and
/// <see cref="SystemTextJsonCacheValueSerializer"/>. The tier frames every payload with a header that names the
/// serializer (<see cref="FormatId"/>) and the value's type, and handles a <see langword="null"/> value itself, so a
/// serializer sees only non-null values of the type it is asked for.
/// </para>
/// <para>
/// A serializer must never let the payload choose the type that gets created (no type names in the bytes), must bound
/// the depth of what it reads and writes, and must refuse, rather than silently change, a value that would not come
/// back as itself.
/// </para>
/// </remarks>
public interface ICacheValueSerializer
{
    /// <summary>
    /// Identifies this serializer and its payload format in the stored header, so that bytes written by another
    /// serializer are a miss. 1 is MessagePack, 2 is System.Text.Json, up to 127 is reserved for Cacheweave; choose
    /// 128–255 for your own.
    /// </summary>
    byte FormatId { get; }

    /// <summary>Writes <paramref name="value"/> (never <see langword="null"/>) to <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The declared type of the value: the type a reader will ask for.</typeparam>
    /// <param name="destination">Receives the payload.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="CacheValueRejectedException">
    /// The value cannot be stored faithfully: it is nested too deep or cyclic, or an object in it has a runtime type
    /// other than its declared one.
    /// </exception>
    /// <exception cref="Exception">Any other exception of the underlying serializer when the value cannot be serialized.</exception>
    void Serialize<T>(IBufferWriter<byte> destination, T value);

    /// <summary>Reads <paramref name="payload"/> as a <typeparamref name="T"/>. Never throws for malformed bytes.</summary>
    /// <typeparam name="T">The type to create; the payload cannot choose another.</typeparam>
    /// <param name="payload">The untrusted bytes.</param>
    /// <param name="value">The value read, when the method returns <see langword="true"/>.</param>
    /// <param name="problem">Why the bytes were refused, when the method returns <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when the bytes are exactly one well-formed encoding of a <typeparamref name="T"/>.</returns>
    bool TryDeserialize<T>(ReadOnlyMemory<byte> payload, [MaybeNullWhen(false)] out T value, [NotNullWhen(false)] out string? problem);

    /// <summary>
    /// Checks once, when a cached method is registered, that values of <paramref name="type"/> come back from this
    /// serializer as they went in: every stored member can be set again (members with private or missing setters are
    /// bound by a constructor parameter), no member is declared as <see cref="object"/>, an interface or an abstract
    /// class that the serializer cannot resolve without type names, and the serializer has a formatter for the type.
    /// </summary>
    /// <param name="type">The declared result type.</param>
    /// <param name="problem">What does not round-trip, naming the type and the member, when the method returns <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when values of the type round-trip faithfully.</returns>
    bool CanRoundTrip(Type type, [NotNullWhen(false)] out string? problem);
}
