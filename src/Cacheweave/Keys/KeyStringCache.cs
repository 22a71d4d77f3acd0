namespace Cacheweave.Keys;

/// <summary>
/// Remembers the key strings made for recent hashes of one method, so a repeated call reuses its key string
/// instead of allocating a new one. Direct-mapped and lock-free: a slot holds an immutable entry that a writer
/// replaces whole, so a reader sees either the old entry or the new one, never a mix.
/// </summary>
internal sealed class KeyStringCache
{
    private const int SlotCount = 64;
    private const int HexLength = Sha256Hash.Size * 2;

    private readonly Entry?[] _slots = new Entry?[SlotCount];
    private readonly string _head;

    /// <summary>Creates a cache for keys that start with <paramref name="head"/> (e.g. <c>cw:users:</c>).</summary>
    public KeyStringCache(string head)
    {
        _head = head;
    }

    /// <summary>Returns <c>head + lowercase hex(hash)</c>, reusing the string made last time for the same hash.</summary>
    public string GetOrCreate(in Sha256Hash hash)
    {
        ref var slot = ref _slots[hash[0] & (SlotCount - 1)];
        var entry = slot;
        if (entry is not null && ((ReadOnlySpan<byte>)entry.Hash).SequenceEqual(hash))
        {
            return entry.Key;
        }

        var key = Create(_head, hash);
        slot = new Entry(hash, key);
        return key;
    }

    /// <summary>Makes <c>head + lowercase hex(hash)</c>.</summary>
    public static string Create(string head, in Sha256Hash hash) =>
        string.Create(head.Length + HexLength, (head, hash), static (chars, state) =>
        {
            state.head.AsSpan().CopyTo(chars);
            Convert.TryToHexStringLower(state.hash, chars[state.head.Length..], out _);
        });

    private sealed class Entry(Sha256Hash hash, string key)
    {
        public readonly Sha256Hash Hash = hash;
        public readonly string Key = key;
    }
}
