using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Cacheweave.Serialization;

namespace Cacheweave.Backends.Snapshots;

/// <summary>The values of type <typeparamref name="T"/>, through the guarded MessagePack value serializer.</summary>
internal sealed class SnapshotValueCodec<T> : SnapshotValueCodec
{
    private readonly ICacheValueSerializer _serializer;

    internal SnapshotValueCodec(ICacheValueSerializer serializer) => _serializer = serializer;

    internal override ulong Fingerprint { get; } = TypeFingerprint.Of(typeof(T));

    internal override void Write(IBufferWriter<byte> destination, object value) => _serializer.Serialize(destination, (T)value);

    internal override bool TryRead(ReadOnlyMemory<byte> payload, out object? value, [NotNullWhen(false)] out string? problem)
    {
        if (_serializer.TryDeserialize<T>(payload, out var read, out problem))
        {
            value = read;
            return true;
        }

        value = null;
        return false;
    }
}
