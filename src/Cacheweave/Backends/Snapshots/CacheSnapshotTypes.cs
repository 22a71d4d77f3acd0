using System.Collections.Concurrent;
using Cacheweave.Serialization;

namespace Cacheweave.Backends.Snapshots;

/// <summary>
/// The value types an in-memory backend's snapshots may hold. A snapshot records each value's type by a fingerprint of
/// its name and shape, never by a name that would be resolved on load: only a registered type is ever created when a
/// snapshot is read, through the guarded MessagePack serializer in its untrusted-data mode.
/// </summary>
/// <remarks>
/// <see cref="string"/>, the primitive numeric types, <see cref="bool"/>, <see cref="decimal"/>, <see cref="Guid"/>,
/// <see cref="DateTime"/>, <see cref="DateTimeOffset"/>, <see cref="TimeSpan"/> and byte arrays are registered from the
/// start. Register the other result types of cached methods with <see cref="Add{T}"/>; a value is matched by its
/// runtime type. A type whose shape changed between save and load has another fingerprint, and its entries are skipped.
/// Safe to use from several threads.
/// </remarks>
public sealed class CacheSnapshotTypes
{
    private readonly ConcurrentDictionary<Type, SnapshotValueCodec> _byType = new();
    private readonly ConcurrentDictionary<ulong, SnapshotValueCodec> _byFingerprint = new();

    /// <summary>Creates a registry holding the built-in types.</summary>
    public CacheSnapshotTypes()
    {
        Add<string>().Add<bool>().Add<byte>().Add<sbyte>().Add<short>().Add<ushort>().Add<int>().Add<uint>()
            .Add<long>().Add<ulong>().Add<float>().Add<double>().Add<decimal>().Add<char>().Add<Guid>()
            .Add<DateTime>().Add<DateTimeOffset>().Add<TimeSpan>().Add<byte[]>();
    }

    /// <summary>Allows values of type <typeparamref name="T"/> (exactly; register derived types on their own) in snapshots.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <returns>This registry, for chaining.</returns>
    /// <exception cref="ArgumentException">
    /// The MessagePack value serializer cannot round-trip <typeparamref name="T"/> (for example an interface, or a class
    /// without a usable constructor); the message says why.
    /// </exception>
    public CacheSnapshotTypes Add<T>()
    {
        if (_byType.ContainsKey(typeof(T)))
        {
            return this;
        }

        var serializer = MessagePackCacheValueSerializer.Instance;
        if (typeof(T).IsAbstract)
        {
            throw new ArgumentException($"{typeof(T)} cannot be held in a cache snapshot: an abstract type or interface has no values of its own type; register the concrete types.");
        }

        if (!serializer.CanRoundTrip(typeof(T), out var problem))
        {
            throw new ArgumentException($"{typeof(T)} cannot be held in a cache snapshot: {problem}");
        }

        var codec = new SnapshotValueCodec<T>(serializer);
        _byFingerprint.TryAdd(codec.Fingerprint, codec);
        _byType.TryAdd(typeof(T), codec);
        return this;
    }

    /// <summary>Whether values of <paramref name="type"/> (exactly) may be saved.</summary>
    /// <param name="type">The runtime type of a value.</param>
    /// <returns><see langword="true"/> when the type is registered.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="type"/> is null.</exception>
    public bool Contains(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return _byType.ContainsKey(type);
    }

    internal bool TryGet(Type type, out SnapshotValueCodec codec) => _byType.TryGetValue(type, out codec!);

    internal bool TryGet(ulong fingerprint, out SnapshotValueCodec codec) => _byFingerprint.TryGetValue(fingerprint, out codec!);
}
