using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Cacheweave.Keys;

/// <summary>
/// Makes the keys of one method and remembers those made from recent inputs, so that a repeated call neither hashes
/// nor allocates. The hash input is a constant part (the array header and the identity) followed by a variable part
/// (the arguments); when the variable bytes equal those of a remembered entry byte for byte, the key is by definition
/// the same.
/// </summary>
/// <remarks>
/// The remembered keys sit in a concurrent dictionary looked up by the argument bytes as a span (an alternate lookup),
/// so a lookup allocates nothing. It holds up to <see cref="Capacity"/> inputs; when it is full it is emptied and
/// starts again, which keeps the bound in O(1) and costs one hash per key of the next working set. A first version
/// remembered 128 inputs in a direct-mapped table: a working set of 1,024 argument sets then hashed on most calls and
/// cost three to five times as much per hit as a cache whose key is built by hand.
/// </remarks>
internal sealed class KeyStringCache
{
    /// <summary>How many inputs one method remembers.</summary>
    public const int Capacity = 16_384;

    private const int HexLength = Sha256Hash.Size * 2;

    // Inputs longer than this are hashed every time rather than kept alive.
    private const int MaxRememberedInput = 512;

    private readonly ConcurrentDictionary<byte[], string> _remembered = new(InputComparer.Instance);
    private readonly ConcurrentDictionary<byte[], string>.AlternateLookup<ReadOnlySpan<byte>> _byBytes;
    private readonly string _head;
    private readonly byte[] _constantInput;
    private int _count;

    /// <summary>Creates a cache for keys that start with <paramref name="head"/> (e.g. <c>cw:users:</c>).</summary>
    /// <param name="head">The text before the hex hash.</param>
    /// <param name="constantInput">The bytes every hash input starts with.</param>
    public KeyStringCache(string head, byte[] constantInput)
    {
        _head = head;
        _constantInput = constantInput;
        _byBytes = _remembered.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>
    /// Returns <c>head + lowercase hex(SHA-256(constant input + <paramref name="input"/>))</c>, reusing the string made
    /// last time for the same input.
    /// </summary>
    public string GetOrCreate(ReadOnlySpan<byte> input)
    {
        if (_byBytes.TryGetValue(input, out var known))
        {
            return known;
        }

        var key = Create(input);
        if (input.Length <= MaxRememberedInput && _remembered.TryAdd(input.ToArray(), key)
            && Interlocked.Increment(ref _count) > Capacity)
        {
            // Emptying is rare and cheap to reason about: a key made again is the same key.
            _remembered.Clear();
            Volatile.Write(ref _count, 0);
        }

        return key;
    }

    /// <summary>Makes <c>head + lowercase hex(hash)</c>.</summary>
    public static string Create(string head, in Sha256Hash hash) =>
        string.Create(head.Length + HexLength, (head, hash), static (chars, state) =>
        {
            state.head.AsSpan().CopyTo(chars);
            Convert.TryToHexStringLower(state.hash, chars[state.head.Length..], out _);
        });

    private string Create(ReadOnlySpan<byte> input)
    {
        var hash = default(Sha256Hash);
        KeyHash.Sha256(_constantInput, input, ref hash);
        return Create(_head, hash);
    }

    /// <summary>Compares inputs by content, and lets a span stand in for an array in lookups.</summary>
    private sealed class InputComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly InputComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        public int GetHashCode([DisallowNull] byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = default(HashCode);
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
