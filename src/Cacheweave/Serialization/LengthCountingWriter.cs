using System.Buffers;

namespace Cacheweave.Serialization;

/// <summary>
/// A buffer writer that keeps nothing: it counts the bytes a serializer writes, handing out one pooled scratch buffer
/// over and over, and refuses to count past a limit. It measures a value's serialized length without holding its
/// payload, and stops as soon as the value is known to be too large.
/// </summary>
internal sealed class LengthCountingWriter : IBufferWriter<byte>, IDisposable
{
    private const int MinimumBuffer = 256;

    private readonly long _limit;
    private readonly Type _valueType;
    private byte[] _scratch;

    /// <param name="limit">The most bytes counted; one more throws.</param>
    /// <param name="valueType">The type being written, for the message.</param>
    public LengthCountingWriter(long limit, Type valueType)
    {
        _limit = limit;
        _valueType = valueType;
        _scratch = ArrayPool<byte>.Shared.Rent(MinimumBuffer);
    }

    /// <summary>The bytes written so far.</summary>
    public long Length { get; private set; }

    /// <exception cref="CacheValueRejectedException">The count would pass the limit (reason <see cref="CacheValueRejectionReason.TooLarge"/>).</exception>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        EnsureWithinLimit(count);
        Length += count;
    }

    /// <exception cref="CacheValueRejectedException">Even an eighth of the hint would pass the limit.</exception>
    public Memory<byte> GetMemory(int sizeHint = 0) => Scratch(sizeHint);

    /// <exception cref="CacheValueRejectedException">Even an eighth of the hint would pass the limit.</exception>
    public Span<byte> GetSpan(int sizeHint = 0) => Scratch(sizeHint);

    /// <summary>Returns the scratch buffer to the pool.</summary>
    public void Dispose()
    {
        var scratch = _scratch;
        _scratch = [];
        if (scratch.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private byte[] Scratch(int sizeHint)
    {
        // A hint is a worst case (a string's longest encoding), and at least an eighth of it gets written: the same
        // rule as BoundedBufferWriter, so that a huge value is refused before a buffer of its size is rented.
        EnsureWithinLimit(sizeHint / 8);
        if (_scratch.Length < sizeHint)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = [];
            _scratch = ArrayPool<byte>.Shared.Rent(sizeHint);
        }

        return _scratch;
    }

    private void EnsureWithinLimit(int count)
    {
        if (count > _limit - Length)
        {
            throw new CacheValueRejectedException(
                string.Empty,
                CacheValueRejectionReason.TooLarge,
                $"The encoded {_valueType} is larger than the limit of {_limit:N0} bytes.");
        }
    }
}
