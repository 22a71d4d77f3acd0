using System.Buffers;
using System.Reflection;
using System.Security.Cryptography;
using MessagePack;

namespace Cacheweave.Keys;

/// <summary>
/// Turns the arguments of one method's call into its cache key:
/// <c>"cw:" + prefix + ":" + lowercase hex(SHA-256(MessagePack([identity, arguments…])))</c>, where identity is
/// <see cref="MethodIdentity.Of(MethodInfo, Type)"/>. For a versioned method the array is <c>[identity, version, arguments…]</c>.
/// </summary>
/// <remarks>
/// Built once per method; everything a call can precompute (the identity's bytes, one formatter per parameter,
/// the key's head) is computed here. A call serializes into a thread-local buffer; when the bytes equal those of a
/// recent call, that call's key string is reused (no hash, no allocation), otherwise they are hashed
/// (<see cref="KeyHash"/>) into a stack buffer and written as hex into the one string the key needs.
/// Parameters of type <see cref="CancellationToken"/> and parameters marked <see cref="NotPartOfKeyAttribute"/>
/// are left out.
/// </remarks>
internal sealed class CacheKeyBuilder
{
    private const int MaxRetainedBuffer = 16 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    private readonly KeyArgumentWriter[] _writers;
    private readonly KeyStringCache _keys;
    private readonly KeyStringCache _versionedKeys;

    /// <summary>Prepares keys for <paramref name="method"/> (closed) under <paramref name="prefix"/>.</summary>
    /// <param name="method">The method.</param>
    /// <param name="prefix">The readable part of the keys.</param>
    /// <param name="serviceType">
    /// The proxied interface whose calls the keys are for; when it inherits <paramref name="method"/> from another
    /// interface it is named in the identity too. <see langword="null"/> names the declaring interface only.
    /// </param>
    /// <exception cref="InvalidOperationException">A parameter type has no MessagePack formatter; the message names the method and parameter.</exception>
    public CacheKeyBuilder(MethodInfo method, string prefix, Type? serviceType = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(prefix);

        Identity = MethodIdentity.Of(method, serviceType);
        Prefix = prefix;
        var options = CacheKeySerializer.Options;
        var identityBytes = MessagePackSerializer.Serialize(Identity, options);

        var writers = new List<KeyArgumentWriter>();
        foreach (var parameter in method.GetParameters())
        {
            if (!IsPartOfKey(parameter))
            {
                continue;
            }

            try
            {
                writers.Add(KeyArgumentWriter.Create(parameter, options));
            }
            catch (MessagePackSerializationException e)
            {
                throw new InvalidOperationException(
                    $"Parameter '{parameter.Name}' of {Identity} cannot be part of a cache key: MessagePack has no formatter for " +
                    $"{MethodIdentity.Of(parameter.ParameterType)} ({e.Message}). Pass a serializable type (primitives, strings, enums, " +
                    "collections, records and public classes with public members) or mark the parameter [NotPartOfKey].",
                    e);
            }
        }

        _writers = [.. writers];
        var head = $"cw:{prefix}:";
        _keys = new KeyStringCache(head, ArrayStart(1 + _writers.Length, identityBytes));
        _versionedKeys = new KeyStringCache(head, ArrayStart(2 + _writers.Length, identityBytes));

        Span<byte> identityHash = stackalloc byte[Sha256Hash.Size];
        SHA256.HashData(identityBytes, identityHash);
        VersionKey = $"cw:{prefix}:version:{Convert.ToHexStringLower(identityHash)}";
    }

    /// <summary>The method's stable identity, the first element of every key's hashed array.</summary>
    public string Identity { get; }

    /// <summary>The prefix between <c>cw:</c> and the hash.</summary>
    public string Prefix { get; }

    /// <summary>The key under which a versioned method's current version is stored.</summary>
    public string VersionKey { get; }

    /// <summary>Whether <paramref name="parameter"/>'s argument enters the key.</summary>
    public static bool IsPartOfKey(ParameterInfo parameter) =>
        parameter.ParameterType != typeof(CancellationToken) && !parameter.IsDefined(typeof(NotPartOfKeyAttribute), inherit: false);

    /// <summary>Builds the key of a call with <paramref name="arguments"/> (one per parameter, in order).</summary>
    /// <exception cref="ArgumentException">An argument cannot be serialized, or is nested deeper than
    /// <see cref="Serialization.SerializationGuard.DefaultMaxDepth"/> levels (or is cyclic); the message names the method and parameter.</exception>
    public string Build(object?[] arguments) => Build(arguments, versioned: false, version: 0).Key;

    /// <summary>Builds the key of a call of a versioned method at <paramref name="version"/>.</summary>
    /// <exception cref="ArgumentException">An argument cannot be serialized, or is nested too deep (or is cyclic); the message names the method and parameter.</exception>
    public string Build(long version, object?[] arguments) => Build(arguments, versioned: true, version).Key;

    /// <summary>As <see cref="Build(object?[])"/>, returning the memo's handle of the key (which carries the in-memory entry last found under it).</summary>
    /// <exception cref="ArgumentException">An argument cannot be serialized, or is nested too deep (or is cyclic); the message names the method and parameter.</exception>
    public KeyHandle BuildHandle(object?[] arguments) => Build(arguments, versioned: false, version: 0);

    /// <summary>As <see cref="Build(long, object?[])"/>, returning the memo's handle of the key.</summary>
    /// <exception cref="ArgumentException">An argument cannot be serialized, or is nested too deep (or is cyclic); the message names the method and parameter.</exception>
    public KeyHandle BuildHandle(long version, object?[] arguments) => Build(arguments, versioned: true, version);

    // MessagePack reports a type it cannot build a formatter for as "The type initializer for 'FormatterCache`1' threw
    // an exception"; the reason is the innermost exception of that wrapper.
    private static Exception Cause(Exception exception)
    {
        var cause = exception;
        while (cause is TypeInitializationException { InnerException: { } inner })
        {
            cause = inner;
        }

        return cause;
    }

    private static byte[] ArrayStart(int length, byte[] identityBytes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(length);
        writer.WriteRaw(identityBytes);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private KeyHandle Build(object?[] arguments, bool versioned, long version)
    {
        // Taken out of the slot while in use: serializing an argument can run user code (a property getter)
        // that builds another key on this thread.
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(256);
        t_buffer = null;
        try
        {
            // Only what varies is serialized here: the array header and the identity are the keys' constant start.
            buffer.ResetWrittenCount();
            var writer = new MessagePackWriter(buffer);
            var writers = _writers;
            if (versioned)
            {
                writer.Write(version);
            }

            foreach (var argumentWriter in writers)
            {
                try
                {
                    argumentWriter.Write(ref writer, arguments[argumentWriter.Position]);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    throw new ArgumentException(
                        $"The argument for parameter '{argumentWriter.Parameter.Name}' of {Identity} cannot be written into a cache key: {Cause(e).Message} " +
                        "Pass a value MessagePack can serialize, or mark the parameter [NotPartOfKey].",
                        argumentWriter.Parameter.Name,
                        e);
                }
            }

            writer.Flush();
            return (versioned ? _versionedKeys : _keys).GetOrCreateHandle(buffer.WrittenSpan);
        }
        finally
        {
            if (buffer.Capacity <= MaxRetainedBuffer)
            {
                t_buffer = buffer;
            }
        }
    }
}
