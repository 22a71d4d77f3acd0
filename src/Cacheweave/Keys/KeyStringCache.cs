using System.Runtime.InteropServices;

namespace Cacheweave.Keys;

/// <summary>
/// Makes the keys of one method and remembers those made from recent inputs, so that a repeated call neither hashes
/// nor allocates. The hash input is a constant part (the array header and the identity) followed by a variable part
/// (the arguments); when the variable bytes equal those of a remembered entry byte for byte, the key is by definition
/// the same. Direct-mapped and lock-free: a slot holds an immutable entry that a writer replaces whole, so a reader
/// sees either the old entry or the new one, never a mix.
/// </summary>
internal sealed class KeyStringCache
{
    private const int SlotCount = 128;
    private const int HexLength = Sha256Hash.Size * 2;

    // Inputs longer than this are hashed every time rather than kept alive in a slot.
    private const int MaxRememberedInput = 512;

    private readonly Entry?[] _slots = new Entry?[SlotCount];
    private readonly string _head;
    private readonly byte[] _constantInput;

    /// <summary>Creates a cache for keys that start with <paramref name="head"/> (e.g. <c>cw:users:</c>).</summary>
    /// <param name="head">The text before the hex hash.</param>
    /// <param name="constantInput">The bytes every hash input starts with.</param>
    public KeyStringCache(string head, byte[] constantInput)
    {
        _head = head;
        _constantInput = constantInput;
    }

    /// <summary>
    /// Returns <c>head + lowercase hex(SHA-256(constant input + <paramref name="input"/>))</c>, reusing the string made
    /// last time for the same input.
    /// </summary>
    public string GetOrCreate(ReadOnlySpan<byte> input)
    {
        if (input.Length > MaxRememberedInput)
        {
            return Create(input);
        }

        ref var slot = ref _slots[Fold(input) & (SlotCount - 1)];
        var entry = slot;
        if (entry is not null && input.SequenceEqual(entry.Input))
        {
            return entry.Key;
        }

        var key = Create(input);
        slot = new Entry(input.ToArray(), key);
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

    // A cheap, non-cryptographic mix of the input that only picks a slot; the byte comparison decides.
    private static int Fold(ReadOnlySpan<byte> input)
    {
        var mixed = (ulong)input.Length * 0x9E3779B97F4A7C15UL;
        var words = MemoryMarshal.Cast<byte, ulong>(input);
        foreach (var word in words)
        {
            mixed = (mixed ^ word) * 0x100000001B3UL;
            mixed ^= mixed >> 29;
        }

        for (var i = words.Length * sizeof(ulong); i < input.Length; i++)
        {
            mixed = (mixed ^ input[i]) * 0x100000001B3UL;
        }

        return (int)(mixed ^ (mixed >> 32));
    }

    private sealed class Entry(byte[] input, string key)
    {
        public readonly byte[] Input = input;
        public readonly string Key = key;
    }
}
