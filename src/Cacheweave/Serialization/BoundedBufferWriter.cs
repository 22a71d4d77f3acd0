using System.Buffers;

namespace Cacheweave.Serialization;

/// <summary>
/// A buffer writer that refuses to grow past a limit, so that an oversized value is rejected while it is being
/// serialized rather than after all of it has been buffered.
/// </summary>
internal sealed class BoundedBufferWriter : IBufferWriter<byte>
{
    private readonly ArrayBufferWriter<byte> _inner;
    private readonly int _limit;
    private readonly Type _valueType;

    /// <param name="inner">Receives the bytes.</param>
    /// <param name="limit">The most bytes <paramref name="inner"/> may hold in all.</param>
    /// <param name="valueType">The type being written, for the message.</param>
    public BoundedBufferWriter(ArrayBufferWriter<byte> inner, int limit, Type valueType)
    {
        _inner = inner;
        _limit = limit;
        _valueType = valueType;
    }

    public void Advance(int count)
    {
        Ensure(count);
        _inner.Advance(count);
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureRoomFor(sizeHint);
        return _inner.GetMemory(sizeHint);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureRoomFor(sizeHint);
        return _inner.GetSpan(sizeHint);
    }

    // A size hint is a worst case, not what will be written: a writer asks room for a string's longest encoding
    // (3 bytes per char for MessagePack's UTF-8, up to 6 for JSON escapes) and writes at least 1 byte per char. So a
    // request is refused only when even an eighth of it would not fit: a 50 MB string fails here, before a buffer of
    // its size is allocated, and a value that fits is never refused for its hint.
    private void EnsureRoomFor(int sizeHint)
    {
        if (((long)sizeHint / 8) + _inner.WrittenCount > _limit)
        {
            Ensure(sizeHint / 8);
        }
    }

    private void Ensure(int count)
    {
        if ((long)_inner.WrittenCount + count > _limit)
        {
            throw new CacheValueRejectedException(
                string.Empty,
                CacheValueRejectionReason.TooLarge,
                $"The encoded {_valueType} is larger than the maximum value size of {_limit:N0} bytes.");
        }
    }
}
