using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Cacheweave.Keys;

/// <summary>
/// One generation of a <see cref="KeyStringCache"/>: argument bytes to key handle, looked up by span, with a count and
/// an estimate of the bytes it keeps alive.
/// </summary>
internal sealed class KeyMemoGeneration
{
    // Set in _bytes once the generation is dropped: an entry added after that is not charged to the budget.
    private const long DroppedBit = 1L << 62;

    private readonly ConcurrentDictionary<byte[], KeyHandle> _entries = new(InputComparer.Instance);
    private readonly ConcurrentDictionary<byte[], KeyHandle>.AlternateLookup<ReadOnlySpan<byte>> _byBytes;
    private int _count;
    private long _bytes;

    public KeyMemoGeneration()
    {
        _byBytes = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>How many entries were added (promotions included).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The estimated bytes the entries keep alive; 0 once dropped.</summary>
    public long Bytes
    {
        get
        {
            var bytes = Interlocked.Read(ref _bytes);
            return (bytes & DroppedBit) != 0 ? 0 : bytes;
        }
    }

    /// <summary>Finds the key remembered for <paramref name="input"/>.</summary>
    public bool TryGet(ReadOnlySpan<byte> input, [MaybeNullWhen(false)] out KeyHandle key) => _byBytes.TryGetValue(input, out key);

    /// <summary>Finds the entry remembered for <paramref name="input"/>, with the array it is stored under.</summary>
    public bool TryGet(ReadOnlySpan<byte> input, [MaybeNullWhen(false)] out byte[] storedInput, [MaybeNullWhen(false)] out KeyHandle key) =>
        _byBytes.TryGetValue(input, out storedInput, out key);

    /// <summary>
    /// Remembers <paramref name="key"/> for <paramref name="input"/>. Returns the bytes to charge to the budget: the
    /// entry's estimated size, or 0 when it was not added (another thread added it first, or the generation was
    /// dropped meanwhile).
    /// </summary>
    public long TryAdd(byte[] input, KeyHandle key)
    {
        if (!_entries.TryAdd(input, key))
        {
            return 0;
        }

        Interlocked.Increment(ref _count);
        var size = KeyMemoBudget.EntrySize(input.Length, key.Key.Length);
        return (Interlocked.Add(ref _bytes, size) & DroppedBit) != 0 ? 0 : size;
    }

    /// <summary>Marks the generation dropped and returns the bytes that were charged for it, to be released.</summary>
    public long Drop() => Interlocked.Or(ref _bytes, DroppedBit) & ~DroppedBit;

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
