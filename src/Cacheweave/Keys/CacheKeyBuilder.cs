using System.Buffers;
using System.Reflection;
using System.Security.Cryptography;
using MessagePack;

namespace Cacheweave.Keys;

/// <summary>
/// Turns the arguments of one method's call into its cache key:
/// <c>"cw:" + prefix + ":" + lowercase hex(SHA-256(MessagePack([identity, arguments…])))</c>, where identity is
/// <see cref="MethodIdentity.Of(MethodInfo)"/>. For a versioned method the array is <c>[identity, version, arguments…]</c>.
/// </summary>
/// <remarks>
/// Built once per method; everything a call can precompute (the identity's bytes, one formatter per parameter,
/// the key's head) is computed here. A call serializes into a thread-local buffer, hashes into a stack buffer and
/// reuses the key string of a recent identical call, so a repeated key allocates nothing.
/// Parameters of type <see cref="CancellationToken"/> and parameters marked <see cref="NotPartOfKeyAttribute"/>
/// are left out.
/// </remarks>
internal sealed class CacheKeyBuilder
{
    private const int MaxRetainedBuffer = 16 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    private readonly byte[] _identityBytes;
    private readonly KeyArgumentWriter[] _writers;
    private readonly KeyStringCache _recentKeys;

    /// <summary>Prepares keys for <paramref name="method"/> (closed) under <paramref name="prefix"/>.</summary>
    /// <exception cref="InvalidOperationException">A parameter type has no MessagePack formatter; the message names the method and parameter.</exception>
    public CacheKeyBuilder(MethodInfo method, string prefix)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(prefix);

        Identity = MethodIdentity.Of(method);
        Prefix = prefix;
        var options = CacheKeySerializer.Options;
        _identityBytes = MessagePackSerializer.Serialize(Identity, options);

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
        _recentKeys = new KeyStringCache($"cw:{prefix}:");

        Span<byte> identityHash = stackalloc byte[Sha256Hash.Size];
        SHA256.HashData(_identityBytes, identityHash);
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
    /// <exception cref="ArgumentException">An argument cannot be serialized; the message names the method and parameter.</exception>
    public string Build(object?[] arguments) => Build(arguments, versioned: false, version: 0);

    /// <summary>Builds the key of a call of a versioned method at <paramref name="version"/>.</summary>
    /// <exception cref="ArgumentException">An argument cannot be serialized; the message names the method and parameter.</exception>
    public string Build(long version, object?[] arguments) => Build(arguments, versioned: true, version);

    private string Build(object?[] arguments, bool versioned, long version)
    {
        // Taken out of the slot while in use: serializing an argument can run user code (a property getter)
        // that builds another key on this thread.
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(256);
        t_buffer = null;
        try
        {
            buffer.ResetWrittenCount();
            var writer = new MessagePackWriter(buffer);
            var writers = _writers;
            writer.WriteArrayHeader(1 + (versioned ? 1 : 0) + writers.Length);
            writer.WriteRaw(_identityBytes);
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
                        $"The argument for parameter '{argumentWriter.Parameter.Name}' of {Identity} cannot be written into a cache key: {e.Message} " +
                        "Pass a value MessagePack can serialize, or mark the parameter [NotPartOfKey].",
                        argumentWriter.Parameter.Name,
                        e);
                }
            }

            writer.Flush();
            var hash = default(Sha256Hash);
            SHA256.HashData(buffer.WrittenSpan, hash);
            return _recentKeys.GetOrCreate(hash);
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
