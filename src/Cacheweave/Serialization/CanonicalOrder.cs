using System.Buffers;
using MessagePack;
using MessagePack.Formatters;

namespace Cacheweave.Serialization;

/// <summary>
/// Writes a dictionary or set with its entries sorted by their bytes (for a map, an entry is its key followed by its
/// value), so that equal contents give equal bytes whatever order the collection enumerates them in.
/// </summary>
internal static class CanonicalOrder
{
    /// <summary>
    /// Serializes <paramref name="value"/> with <paramref name="inner"/>, then writes its entries in order; a collection
    /// whose comparer is not its key type's default is written as extension 42 with the comparer's description first.
    /// </summary>
    public static void Write<T>(ref MessagePackWriter writer, T value, IMessagePackFormatter<T> inner, MessagePackSerializerOptions options)
    {
        if (CollectionComparer.Describe(value!) is { } comparer)
        {
            WriteWithComparer(ref writer, comparer, value, inner, options);
        }
        else
        {
            WriteEntries(ref writer, value, inner, options);
        }
    }

    private static void WriteEntries<T>(ref MessagePackWriter writer, T value, IMessagePackFormatter<T> inner, MessagePackSerializerOptions options)
    {
        var buffer = ScratchBuffers.Rent();
        try
        {
            var scratch = writer.Clone(buffer);
            inner.Serialize(ref scratch, value, options);
            scratch.Flush();
            WriteSorted(ref writer, buffer.WrittenMemory);
        }
        finally
        {
            ScratchBuffers.Return(buffer);
        }
    }

    // Extension 42: the comparer's description, then the entries in canonical order.
    private static void WriteWithComparer<T>(ref MessagePackWriter writer, string comparer, T value, IMessagePackFormatter<T> inner, MessagePackSerializerOptions options)
    {
        var buffer = ScratchBuffers.Rent();
        try
        {
            var body = writer.Clone(buffer);
            body.Write(comparer);
            WriteEntries(ref body, value, inner, options);
            body.Flush();
            writer.WriteExtensionFormatHeader(new ExtensionHeader(SerializationGuard.ComparerExtension, (uint)buffer.WrittenCount));
            writer.WriteRaw(buffer.WrittenSpan);
        }
        finally
        {
            ScratchBuffers.Return(buffer);
        }
    }

    private static void WriteSorted(ref MessagePackWriter writer, ReadOnlyMemory<byte> bytes)
    {
        var reader = new MessagePackReader(bytes);
        var isMap = reader.NextMessagePackType == MessagePackType.Map;
        if (!isMap && reader.NextMessagePackType != MessagePackType.Array)
        {
            writer.WriteRaw(bytes.Span);
            return;
        }

        var count = isMap ? reader.ReadMapHeader() : reader.ReadArrayHeader();
        if (count < 2)
        {
            writer.WriteRaw(bytes.Span);
            return;
        }

        var entries = ArrayPool<Range>.Shared.Rent(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var start = (int)reader.Consumed;
                reader.Skip();
                if (isMap)
                {
                    reader.Skip();
                }

                entries[i] = new Range(start, (int)reader.Consumed);
            }

            Array.Sort(entries, 0, count, new EntryComparer(bytes));
            if (isMap)
            {
                writer.WriteMapHeader(count);
            }
            else
            {
                writer.WriteArrayHeader(count);
            }

            var span = bytes.Span;
            for (var i = 0; i < count; i++)
            {
                writer.WriteRaw(span[entries[i]]);
            }
        }
        finally
        {
            ArrayPool<Range>.Shared.Return(entries);
        }
    }

    private sealed class EntryComparer(ReadOnlyMemory<byte> bytes) : IComparer<Range>
    {
        public int Compare(Range x, Range y) => bytes.Span[x].SequenceCompareTo(bytes.Span[y]);
    }
}
