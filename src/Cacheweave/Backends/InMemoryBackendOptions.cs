namespace Cacheweave.Backends;

/// <summary>
/// The limits and settings of an in-memory backend: how many entries it holds, how many bytes, how it sizes an entry,
/// the default time to live and the clock. Give it to a backend's constructor, for example
/// <c>new LruBackend(new InMemoryBackendOptions { MaxBytes = 64 * 1024 * 1024, Sizer = (_, v) =&gt; ((byte[])v!).Length })</c>.
/// </summary>
/// <remarks>
/// <para>
/// With <see cref="MaxBytes"/> each entry has a size: <see cref="CacheEntryOptions.Size"/> when the write gives one,
/// otherwise what <see cref="Sizer"/> returns. Cached proxies give the length of the result's serialized form when the
/// backend has no sizer. A write whose size is known in neither way throws <see cref="InvalidOperationException"/>.
/// </para>
/// <para>Instances are immutable once built; each setting is checked when it is set.</para>
/// </remarks>
public sealed class InMemoryBackendOptions
{
    private readonly int? _capacity;
    private readonly long? _maxBytes;
    private readonly TimeSpan? _defaultTimeToLive;

    /// <summary>
    /// The most entries held, at least 1; <see langword="null"/> for no bound on the count (then
    /// <see cref="MaxBytes"/> or, for a TTL backend, expiry bounds the backend). <see cref="InMemoryBackend.Resize"/>
    /// changes it at run time.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? Capacity
    {
        get => _capacity;
        init
        {
            if (value is < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(Capacity), value, "The capacity must be at least 1.");
            }

            _capacity = value;
        }
    }

    /// <summary>
    /// The byte budget: the most the sizes of the entries held may add up to, at least 1; <see langword="null"/> for
    /// none (entries are then not sized at all). <see cref="InMemoryBackend.ResizeBytes"/> changes it at run time.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public long? MaxBytes
    {
        get => _maxBytes;
        init
        {
            if (value is < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxBytes), value, "The byte budget must be at least 1.");
            }

            _maxBytes = value;
        }
    }

    /// <summary>
    /// Sizes an entry written without <see cref="CacheEntryOptions.Size"/>: called with the key and the value, outside
    /// the backend's lock, once per write; it must return 0 or more. Only used with <see cref="MaxBytes"/>.
    /// </summary>
    public Func<string, object?, long>? Sizer { get; init; }

    /// <summary>
    /// The time to live of entries written without one; <see langword="null"/> lets them live until evicted.
    /// Required by <see cref="TtlBackend"/> and <see cref="LruTtlBackend"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? DefaultTimeToLive
    {
        get => _defaultTimeToLive;
        init
        {
            if (value is { } ttl && ttl <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(DefaultTimeToLive), ttl, "A time to live must be greater than zero.");
            }

            _defaultTimeToLive = value;
        }
    }

    /// <summary>The clock for times to live; <see langword="null"/> for <see cref="System.TimeProvider.System"/>.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Checks the settings that depend on each other, for a backend of any policy.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A sizer is given without a byte budget.</exception>
    internal static InMemoryBackendOptions Validate(InMemoryBackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Sizer is not null && options.MaxBytes is null
            ? throw Refused($"{nameof(InMemoryBackendOptions)}.{nameof(Sizer)} is set without {nameof(MaxBytes)}: a backend without a byte budget does not size its entries.", nameof(options))
            : options;
    }

    /// <summary>Checks the settings of a backend that only its limits bound: a capacity, a byte budget or both.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">Neither limit is set, or a sizer is given without a byte budget.</exception>
    internal static InMemoryBackendOptions ValidateBounded(InMemoryBackendOptions options, string backend) =>
        Validate(options) is { Capacity: null, MaxBytes: null }
            ? throw Refused($"A {backend} needs {nameof(InMemoryBackendOptions)}.{nameof(Capacity)}, {nameof(MaxBytes)} or both; it would otherwise grow without bound.", nameof(options))
            : options;

    /// <summary>Checks the settings of a backend whose entries must all expire.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><see cref="DefaultTimeToLive"/> is not set, or a sizer is given without a byte budget.</exception>
    internal static InMemoryBackendOptions ValidateExpiring(InMemoryBackendOptions options, string backend) =>
        Validate(options) is { DefaultTimeToLive: null }
            ? throw Refused($"A {backend} needs {nameof(InMemoryBackendOptions)}.{nameof(DefaultTimeToLive)}: the time to live of entries written without one.", nameof(options))
            : options;

    private static ArgumentException Refused(string message, string paramName) => new(message, paramName);
}
