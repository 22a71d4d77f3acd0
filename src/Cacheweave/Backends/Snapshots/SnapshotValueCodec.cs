using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Cacheweave.Backends.Snapshots;

/// <summary>Writes and reads the values of one registered type; the generic dispatch happens once, at registration.</summary>
internal abstract class SnapshotValueCodec
{
    /// <summary>The type's <see cref="Serialization.TypeFingerprint"/>: its name and shape, the type's id in a snapshot.</summary>
    internal abstract ulong Fingerprint { get; }

    internal abstract void Write(IBufferWriter<byte> destination, object value);

    internal abstract bool TryRead(ReadOnlyMemory<byte> payload, out object? value, [NotNullWhen(false)] out string? problem);
}
