using System.Buffers;

namespace Cacheweave.Serialization;

/// <summary>
/// Per-thread spare buffers for the guard's writes that need their bytes before writing them out (a tagged value's
/// length, a canonical entry order). Nested uses take separate buffers; only small buffers are kept.
/// </summary>
internal static class ScratchBuffers
{
    private const int MaxKept = 8;
    private const int MaxKeptCapacity = 64 * 1024;

    [ThreadStatic]
    private static Stack<ArrayBufferWriter<byte>>? t_spare;

    /// <summary>Takes an empty buffer.</summary>
    public static ArrayBufferWriter<byte> Rent()
    {
        var spare = t_spare;
        return spare is not null && spare.TryPop(out var buffer) ? buffer : new ArrayBufferWriter<byte>(256);
    }

    /// <summary>Gives back a buffer taken with <see cref="Rent"/>; it must not be used afterwards.</summary>
    public static void Return(ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity > MaxKeptCapacity)
        {
            return;
        }

        var spare = t_spare ??= new Stack<ArrayBufferWriter<byte>>(MaxKept);
        if (spare.Count < MaxKept)
        {
            buffer.ResetWrittenCount();
            spare.Push(buffer);
        }
    }
}
