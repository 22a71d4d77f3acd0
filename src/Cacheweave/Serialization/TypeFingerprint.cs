using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Cacheweave.Keys;

namespace Cacheweave.Serialization;

/// <summary>
/// A stable 64-bit fingerprint of a value type and its shape: the first 8 bytes of SHA-256 over the type's stable
/// name (<see cref="MethodIdentity.Of(Type)"/>) followed by the names and types of the members stored, recursively.
/// </summary>
/// <remarks>
/// Two processes with the same type agree on it whatever their build; bytes written for another type, or for an older
/// shape of the same type (a member added, renamed or retyped), do not match and are read as a miss instead of an
/// object with default-filled members.
/// </remarks>
internal static class TypeFingerprint
{
    private const int MaxTypes = 256;
    private static readonly ConcurrentDictionary<Type, ulong> s_fingerprints = new();

    public static ulong Of(Type type) => s_fingerprints.GetOrAdd(type, static t => Compute(Describe(t)));

    /// <summary>The text the fingerprint hashes.</summary>
    internal static string Describe(Type type)
    {
        var text = new StringBuilder(256);
        Append(text, type, []);
        return text.ToString();
    }

    private static ulong Compute(string description)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(description), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }

    private static void Append(StringBuilder text, Type type, HashSet<Type> visited)
    {
        text.Append(MethodIdentity.Of(type));
        if (!IsShaped(type) || visited.Count >= MaxTypes || !visited.Add(type))
        {
            return;
        }

        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                text.Append('|');
                Append(text, argument, visited);
            }
        }

        if (type.IsArray)
        {
            text.Append('|');
            Append(text, type.GetElementType()!, visited);
            return;
        }

        if (RoundTripTypeCheck.TryGetElementTypes(type, out _))
        {
            return;
        }

        var members = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(static p => p.GetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
            .Select(static p => (p.Name, Type: p.PropertyType))
            .Concat(type.GetFields(BindingFlags.Public | BindingFlags.Instance).Select(static f => (f.Name, Type: f.FieldType)))
            .OrderBy(static m => m.Name, StringComparer.Ordinal);
        text.Append('{');
        foreach (var (name, memberType) in members)
        {
            text.Append(name).Append(':');
            Append(text, memberType, visited);
            text.Append(';');
        }

        text.Append('}');
    }

    // Types whose shape belongs to the runtime are described by name alone.
    private static bool IsShaped(Type type) =>
        !type.IsPrimitive && !type.IsEnum && !type.IsPointer && !type.IsByRef && type != typeof(string) && type != typeof(object) &&
        (type.IsArray || type.IsGenericType || type.Assembly != typeof(object).Assembly);
}
