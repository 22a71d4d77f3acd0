using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using MessagePack;

namespace Cacheweave.Backends.Snapshots;

/// <summary>
/// The bytes of an in-memory backend's snapshot (version 1): a header, a MessagePack body, and a SHA-256 of both.
/// </summary>
/// <remarks>
/// <para>
/// Header (15 bytes): the magic <c>CWSNAP</c>, the version (<c>0x01</c>), and the body length as a 64-bit big-endian
/// integer. Body: a MessagePack array <c>[savedAt, entries]</c>, where <c>savedAt</c> is the wall-clock time of the save
/// in UTC ticks and each entry is <c>[key, type, payload, expiresAt, timeToLive, sliding]</c>: the key as UTF-16LE bytes
/// (so that every string, lone surrogates included, comes back as it was), the value type's fingerprint and its
/// MessagePack payload (both nil for a cached null), the absolute expiry in UTC ticks and the time to live in ticks
/// (both nil for an entry that does not expire), and whether hits slide the expiry. Entries come in eviction order,
/// the next to go first. Trailer: the SHA-256 of the header and body.
/// </para>
/// <para>
/// A snapshot is untrusted input. The length and hash reject a truncated or damaged file before anything is parsed;
/// the parse still checks every element (a hash proves nothing against a deliberate forgery), and values are only ever
/// created as registered types by the guarded serializer. Any failure is a <see cref="CacheSnapshotException"/>.
/// </para>
/// </remarks>
internal static class SnapshotFormat
{
    internal const byte Version = 1;
    private const int EntryFields = 6;
    private static readonly byte[] s_magic = "CWSNAP"u8.ToArray();
    private static readonly int s_headerSize = s_magic.Length + 1 + sizeof(long);

    /// <summary>Serializes <paramref name="entries"/>; values of unregistered types, or that fail to serialize, are left out.</summary>
    internal static (byte[] Bytes, CacheSnapshotResult Result) Write(List<SnapshotEntry> entries, CacheSnapshotTypes types, DateTimeOffset savedAt)
    {
        var body = new ArrayBufferWriter<byte>();
        var payload = new ArrayBufferWriter<byte>();
        var written = new List<(SnapshotEntry Entry, SnapshotValueCodec? Codec, byte[]? Payload)>(entries.Count);
        var skipped = 0;
        foreach (var entry in entries)
        {
            if (entry.Value is null)
            {
                written.Add((entry, null, null));
                continue;
            }

            if (!types.TryGet(entry.Value.GetType(), out var codec))
            {
                skipped++;
                continue;
            }

            payload.ResetWrittenCount();
            try
            {
                codec.Write(payload, entry.Value);
            }
#pragma warning disable CA1031 // A value that cannot be serialized is left out of the snapshot, as an unregistered one is.
            catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
            {
                skipped++;
                continue;
            }

            written.Add((entry, codec, payload.WrittenSpan.ToArray()));
        }

        var writer = new MessagePackWriter(body);
        writer.WriteArrayHeader(2);
        writer.Write(savedAt.UtcTicks);
        writer.WriteArrayHeader(written.Count);
        foreach (var (entry, codec, bytes) in written)
        {
            writer.WriteArrayHeader(EntryFields);
            writer.Write(MemoryMarshal.AsBytes(entry.Key.AsSpan()));
            if (codec is null)
            {
                writer.WriteNil();
                writer.WriteNil();
            }
            else
            {
                writer.Write(codec.Fingerprint);
                writer.Write(bytes);
            }

            WriteTicks(ref writer, entry.ExpiresAt?.UtcTicks);
            WriteTicks(ref writer, entry.TimeToLive?.Ticks);
            writer.Write(entry.Sliding);
        }

        writer.Flush();
        var snapshot = new byte[s_headerSize + body.WrittenCount + SHA256.HashSizeInBytes];
        s_magic.CopyTo(snapshot, 0);
        snapshot[s_magic.Length] = Version;
        BinaryPrimitives.WriteInt64BigEndian(snapshot.AsSpan(s_magic.Length + 1), body.WrittenCount);
        body.WrittenSpan.CopyTo(snapshot.AsSpan(s_headerSize));
        SHA256.HashData(snapshot.AsSpan(0, s_headerSize + body.WrittenCount), snapshot.AsSpan(s_headerSize + body.WrittenCount));
        return (snapshot, new CacheSnapshotResult(written.Count, skipped));
    }

    /// <summary>Checks and parses a whole snapshot; entries of unregistered types or shapes are counted, not returned.</summary>
    /// <exception cref="CacheSnapshotException">The snapshot is truncated, corrupt or of another version.</exception>
    internal static (List<SnapshotEntry> Entries, int Skipped) Read(ReadOnlyMemory<byte> snapshot, CacheSnapshotTypes types)
    {
        var span = snapshot.Span;
        if (span.Length < s_headerSize || !span[..s_magic.Length].SequenceEqual(s_magic))
        {
            throw new CacheSnapshotException($"The {span.Length}-byte input is not a Cacheweave cache snapshot: it does not start with the snapshot header.");
        }

        if (span[s_magic.Length] != Version)
        {
            throw new CacheSnapshotException($"The cache snapshot is of version {span[s_magic.Length]}; this build reads version {Version}.");
        }

        var bodyLength = BinaryPrimitives.ReadInt64BigEndian(span[(s_magic.Length + 1)..]);
        var expected = (ulong)(s_headerSize + SHA256.HashSizeInBytes) + (ulong)bodyLength;
        if (bodyLength < 0 || expected != (ulong)span.Length)
        {
            throw new CacheSnapshotException(
                $"The cache snapshot is {span.Length:N0} bytes long, but its header announces {(bodyLength < 0 ? "an impossible length" : $"{expected:N0}")}: it is truncated or damaged.");
        }

        var hashed = span[..(s_headerSize + (int)bodyLength)];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(hashed, hash);
        if (!hash.SequenceEqual(span[hashed.Length..]))
        {
            throw new CacheSnapshotException("The cache snapshot is damaged: its SHA-256 does not match its contents.");
        }

        try
        {
            return ReadBody(snapshot.Slice(s_headerSize, (int)bodyLength), types);
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or EndOfStreamException or OverflowException or InvalidOperationException)
        {
            throw new CacheSnapshotException($"The cache snapshot's contents are malformed: {ex.Message}", ex);
        }
    }

    private static (List<SnapshotEntry> Entries, int Skipped) ReadBody(ReadOnlyMemory<byte> body, CacheSnapshotTypes types)
    {
        var reader = new MessagePackReader(body);
        Expect(reader.ReadArrayHeader() == 2, "the body is not a [savedAt, entries] pair");
        reader.ReadInt64();
        var count = reader.ReadArrayHeader();

        // Every entry takes at least one byte: a count beyond that is a lie, refused before anything is allocated for it.
        Expect(count <= body.Length, $"it announces {count:N0} entries in {body.Length:N0} bytes");
        var entries = new List<SnapshotEntry>(count);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var skipped = 0;
        for (var i = 0; i < count; i++)
        {
            Expect(reader.ReadArrayHeader() == EntryFields, $"entry {i} does not have {EntryFields} fields");
            var keyBytes = reader.ReadBytes() ?? throw Malformed($"entry {i} has no key");
            Expect(keyBytes.Length is > 0 and < int.MaxValue && keyBytes.Length % sizeof(char) == 0, $"the key of entry {i} is not UTF-16");
            var key = new string(MemoryMarshal.Cast<byte, char>(keyBytes.ToArray()));
            Expect(keys.Add(key), $"the key of entry {i} appears twice");

            ulong? fingerprint = reader.TryReadNil() ? null : reader.ReadUInt64();
            var payload = reader.TryReadNil() ? (ReadOnlySequence<byte>?)null : reader.ReadBytes();
            Expect(fingerprint.HasValue == payload.HasValue, $"entry {i} has a type without a payload or a payload without a type");
            var expiresAt = ReadTicks(ref reader);
            var timeToLive = ReadTicks(ref reader);
            var sliding = reader.ReadBoolean();
            Expect(expiresAt.HasValue == timeToLive.HasValue && (timeToLive is null or > 0) && (!sliding || timeToLive.HasValue), $"entry {i} has an inconsistent expiry");
            Expect(expiresAt is null or (>= 0 and <= 3_155_378_975_999_999_999L), $"entry {i} has an expiry outside the calendar");

            object? value = null;
            if (fingerprint is { } id)
            {
                if (!types.TryGet(id, out var codec))
                {
                    // Written for a type not registered here, or whose shape has changed since: not ours to create.
                    skipped++;
                    continue;
                }

                if (!codec.TryRead(payload!.Value.ToArray(), out value, out var problem))
                {
                    throw Malformed($"the value of entry {i} does not read back as its registered type: {problem}");
                }
            }

            entries.Add(new SnapshotEntry(
                key,
                value,
                expiresAt is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : null,
                timeToLive is { } ttl ? TimeSpan.FromTicks(ttl) : null,
                sliding));
        }

        Expect(reader.End, "bytes follow the last entry");
        return (entries, skipped);
    }

    private static void WriteTicks(ref MessagePackWriter writer, long? ticks)
    {
        if (ticks is { } value)
        {
            writer.Write(value);
        }
        else
        {
            writer.WriteNil();
        }
    }

    private static long? ReadTicks(ref MessagePackReader reader) => reader.TryReadNil() ? null : reader.ReadInt64();

    private static void Expect(bool condition, string problem)
    {
        if (!condition)
        {
            throw Malformed(problem);
        }
    }

    private static CacheSnapshotException Malformed(string problem) => new($"The cache snapshot's contents are malformed: {problem}.");
}
