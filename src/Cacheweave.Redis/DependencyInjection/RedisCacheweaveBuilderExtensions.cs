using Cacheweave.Backends;
using Cacheweave.Redis;
using Cacheweave.Resilience;
using Cacheweave.Tiers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Cacheweave.DependencyInjection;

/// <summary>Puts Cacheweave's Redis tier behind cached proxies: <c>services.AddCacheweave(b =&gt; b.UseRedis("127.0.0.1:6379"))</c>.</summary>
/// <remarks>
/// <para>
/// The backend registered is fault tolerant: every Redis call has a timeout, a circuit breaker stops calls to a dead
/// server and probes it to recover, and while Redis is unavailable reads are misses and writes are dropped (logged),
/// so callers of cached proxies keep working — the real method simply runs.
/// </para>
/// <para>
/// With <c>twoLevel: true</c>, each process also keeps an in-memory L1 (an LRU with expiry) in front of Redis, and the
/// processes tell each other over Redis pub/sub to drop their L1 copy of a key when one of them writes or removes it.
/// </para>
/// </remarks>
public static class RedisCacheweaveBuilderExtensions
{
    /// <summary>Makes Redis the default backend, connecting with <paramref name="configuration"/>.</summary>
    /// <param name="builder">The Cacheweave builder.</param>
    /// <param name="configuration">
    /// A StackExchange.Redis configuration string, such as <c>"127.0.0.1:6379"</c>. The connection is opened in the
    /// background when the backend is first resolved, which returns at once: until it is connected, cached calls run the
    /// real method. An unreachable server does not fail it (the tier degrades and reconnects by itself), and it is closed
    /// when the container is disposed.
    /// </param>
    /// <param name="twoLevel"><see langword="true"/> for an in-memory L1 in each process in front of Redis, kept coherent over pub/sub.</param>
    /// <param name="configure">Adjusts the settings; optional.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is null or empty, or a setting is invalid (the message names it).</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "Both overloads are in the first public API; the required configuration string tells them apart.")]
    public static CacheweaveBuilder UseRedis(this CacheweaveBuilder builder, string configuration, bool twoLevel = false, Action<RedisCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        var options = Configure(configure, twoLevel);
        return builder.UseDefaultBackend(provider => CreateConnecting(provider, builder, options, twoLevel, configuration));
    }

    /// <summary>
    /// Makes Redis the default backend, on the <see cref="IConnectionMultiplexer"/> registered in the container (which
    /// stays owned by the container).
    /// </summary>
    /// <param name="builder">The Cacheweave builder.</param>
    /// <param name="twoLevel"><see langword="true"/> for an in-memory L1 in each process in front of Redis, kept coherent over pub/sub.</param>
    /// <param name="configure">Adjusts the settings; optional.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    /// <remarks>Resolving the backend throws <see cref="InvalidOperationException"/> when no <see cref="IConnectionMultiplexer"/> is registered.</remarks>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "Both overloads are in the first public API; the required configuration string tells them apart.")]
    public static CacheweaveBuilder UseRedis(this CacheweaveBuilder builder, bool twoLevel = false, Action<RedisCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = Configure(configure, twoLevel);
        return builder.UseDefaultBackend(provider => Create(provider, builder, options, twoLevel, RegisteredMultiplexer));
    }

    /// <summary>
    /// Registers a Redis backend named <paramref name="name"/>, which <c>[Cached(Backend = name)]</c> selects,
    /// connecting with <paramref name="configuration"/>.
    /// </summary>
    /// <param name="builder">The Cacheweave builder.</param>
    /// <param name="name">The backend's name; not null, empty or already registered.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, such as <c>"127.0.0.1:6379"</c>.</param>
    /// <param name="twoLevel"><see langword="true"/> for an in-memory L1 in each process in front of Redis, kept coherent over pub/sub.</param>
    /// <param name="configure">Adjusts the settings; optional. Give each named backend its own <see cref="RedisCacheOptions.KeyPrefix"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="name"/> is null, empty or taken, <paramref name="configuration"/> is null or empty, or a setting is invalid.
    /// </exception>
    public static CacheweaveBuilder AddRedisBackend(this CacheweaveBuilder builder, string name, string configuration, bool twoLevel = false, Action<RedisCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        var options = Configure(configure, twoLevel);
        return builder.AddBackend(name, provider => CreateConnecting(provider, builder, options, twoLevel, configuration));
    }

    private static RedisCacheOptions Configure(Action<RedisCacheOptions>? configure, bool twoLevel)
    {
        var options = new RedisCacheOptions();
        configure?.Invoke(options);
        if (twoLevel)
        {
            options.ValidateTwoLevel();
        }
        else
        {
            options.Validate();
        }

        return options;
    }

    // The tier's own serializer wins over the one chosen for every shared tier with UseValueSerializer.
    private static RedisBackendOptions BackendOptions(CacheweaveBuilder builder, RedisCacheOptions options)
    {
        var backendOptions = options.ToBackendOptions();
        backendOptions.ValueSerializer ??= builder.ValueSerializer;
        return backendOptions;
    }

    private static (IConnectionMultiplexer Multiplexer, bool Owned) RegisteredMultiplexer(IServiceProvider provider) =>
        (provider.GetService<IConnectionMultiplexer>() ?? throw new InvalidOperationException(
            "UseRedis() without a configuration string uses the IConnectionMultiplexer registered in the container, and there is none. " +
            "Register one (services.AddSingleton<IConnectionMultiplexer>(…)) or call UseRedis(\"host:port\")."), false);

    private static ICacheBackend Create(
        IServiceProvider provider,
        CacheweaveBuilder builder,
        RedisCacheOptions options,
        bool twoLevel,
        Func<IServiceProvider, (IConnectionMultiplexer Multiplexer, bool Owned)> connect)
    {
        var loggers = provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var (multiplexer, owned) = connect(provider);
        var redis = new RedisBackend(multiplexer, owned, BackendOptions(builder, options), loggers.CreateLogger<RedisBackend>());
        return Compose(provider, options, twoLevel, redis, () => new RedisInvalidationChannel(
            multiplexer, options.InvalidationChannelName, loggers.CreateLogger<RedisInvalidationChannel>()));
    }

    // Never waits for the server: the connection is made in the background, and the tier counts as unavailable until then.
    private static ICacheBackend CreateConnecting(IServiceProvider provider, CacheweaveBuilder builder, RedisCacheOptions options, bool twoLevel, string configuration)
    {
        var loggers = provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var connecting = RedisConnectionFactory.ConnectInBackground(configuration);
        var redis = new ConnectingRedisBackend(connecting, BackendOptions(builder, options), loggers.CreateLogger<RedisBackend>());
        return Compose(provider, options, twoLevel, redis, () => new ConnectingInvalidationChannel(
            connecting, options.InvalidationChannelName, loggers.CreateLogger<RedisInvalidationChannel>()));
    }

    private static ICacheBackend Compose(IServiceProvider provider, RedisCacheOptions options, bool twoLevel, ICacheBackend redis, Func<ICacheInvalidationChannel> channel)
    {
        var loggers = provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var time = provider.GetService<TimeProvider>() ?? TimeProvider.System;
        var shared = new ResilientCacheBackend(redis, options.ToResilienceOptions(), loggers.CreateLogger<ResilientCacheBackend>(), time);
        if (!twoLevel)
        {
            return shared;
        }

        return new TwoLevelBackend(
            new LruTtlBackend(options.LocalCapacity, options.MaxLocalTimeToLive, time),
            shared,
            channel(),
            options.ToTwoLevelOptions(),
            loggers,
            time);
    }
}
