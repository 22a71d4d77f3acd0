using Cacheweave.Backends;
using Cacheweave.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace Cacheweave.DependencyInjection;

/// <summary>
/// Configures Cacheweave inside <c>services.AddCacheweave(builder =&gt; …)</c>: which backend cached proxies
/// use by default, and which named backends <c>[Cached(Backend = "name")]</c> can refer to.
/// </summary>
public sealed class CacheweaveBuilder
{
    private readonly Dictionary<string, Func<IServiceProvider, ICacheBackend>> _namedBackends = new(StringComparer.Ordinal);

    /// <summary>Creates a builder over <paramref name="services"/>.</summary>
    /// <param name="services">The service collection being configured.</param>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public CacheweaveBuilder(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        Services = services;
    }

    /// <summary>The service collection being configured; extensions such as the Redis tier register their services here.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// The factory of the default backend, or <see langword="null"/> for the built-in default
    /// (an in-memory W-TinyLFU backend, <see cref="TinyLfuBackend"/>, of 10,000 entries).
    /// </summary>
    public Func<IServiceProvider, ICacheBackend>? DefaultBackendFactory { get; private set; }

    /// <summary>The named backends registered so far.</summary>
    public IReadOnlyDictionary<string, Func<IServiceProvider, ICacheBackend>> NamedBackends => _namedBackends;

    /// <summary>
    /// The value serializer of the shared tiers registered through this builder that do not set their own, or
    /// <see langword="null"/> for <see cref="MessagePackCacheValueSerializer"/>.
    /// </summary>
    public ICacheValueSerializer? ValueSerializer { get; private set; }

    /// <summary>
    /// Sets how shared tiers (such as Redis) turn cached values into bytes, unless a tier's own options set it:
    /// <c>b.UseRedis("host:6379").UseValueSerializer(new SystemTextJsonCacheValueSerializer())</c>. Keys are not affected.
    /// </summary>
    /// <param name="serializer">The serializer.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="serializer"/> is null.</exception>
    public CacheweaveBuilder UseValueSerializer(ICacheValueSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        ValueSerializer = serializer;
        return this;
    }

    /// <summary>Sets the backend that cached proxies use when <c>[Cached]</c> names none.</summary>
    /// <param name="factory">Creates the backend once per container.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public CacheweaveBuilder UseDefaultBackend(Func<IServiceProvider, ICacheBackend> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        DefaultBackendFactory = factory;
        return this;
    }

    /// <summary>
    /// Keeps the default backend's entries across restarts in the snapshot file <paramref name="path"/>: loaded when the
    /// backend is created (entries already expired are not loaded), saved when the container disposes it at shutdown,
    /// written to a temporary file in the same directory and then moved over the old one, so that a crash never leaves
    /// half a snapshot. A file that cannot be read is logged and the cache starts empty; a failed save is logged and
    /// leaves the previous file.
    /// </summary>
    /// <param name="path">The snapshot file; its directory is created when missing.</param>
    /// <param name="registerTypes">
    /// Registers the value types the snapshot may hold (the result types of cached methods) in the backend's
    /// <see cref="InMemoryBackend.SnapshotTypes"/>; values of other types are left out. Optional.
    /// </param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or not a valid path.</exception>
    /// <remarks>The default backend must be an in-memory backend; resolving another throws <see cref="InvalidOperationException"/>.</remarks>
    public CacheweaveBuilder PersistSnapshot(string path, Action<Backends.Snapshots.CacheSnapshotTypes>? registerTypes = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Snapshot = new Backends.Snapshots.SnapshotFile(path, registerTypes);
        return this;
    }

    /// <summary>The snapshot file of the default backend, if any.</summary>
    internal Backends.Snapshots.SnapshotFile? Snapshot { get; private set; }

    /// <summary>Registers a named backend that <c>[Cached(Backend = name)]</c> selects.</summary>
    /// <param name="name">The backend's name; not null, empty or already registered.</param>
    /// <param name="factory">Creates the backend once per container.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or already registered.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public CacheweaveBuilder AddBackend(string name, Func<IServiceProvider, ICacheBackend> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (!_namedBackends.TryAdd(name, factory))
        {
            throw new ArgumentException($"A Cacheweave backend named '{name}' is already registered.", nameof(name));
        }

        return this;
    }
}
