using StackExchange.Redis;

namespace Cacheweave.Redis;

/// <summary>Opens the connections the Redis tier creates from a configuration string.</summary>
internal static class RedisConnectionFactory
{
    /// <summary>
    /// Connects with the settings a cache tier wants unless the configuration string says otherwise: do not abort
    /// when the server is unreachable at start (keep retrying in the background), and fail commands fast while
    /// disconnected instead of queueing writes that would land, stale, after the reconnect.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is null, empty or invalid.</exception>
    public static ConnectionMultiplexer Connect(string configuration) => ConnectionMultiplexer.Connect(Options(configuration));

    /// <summary>Connects as <see cref="Connect"/> does, asynchronously: the task completes when the first connection attempt has ended.</summary>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is null, empty or invalid (thrown at once).</exception>
    public static Task<ConnectionMultiplexer> ConnectAsync(string configuration) => ConnectionMultiplexer.ConnectAsync(Options(configuration));

    /// <summary>
    /// Starts connecting as <see cref="Connect"/> does, without waiting: the task completes when the first connection
    /// attempt has ended (connected or not; the connection keeps retrying in the background either way).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is null, empty or invalid (thrown at once).</exception>
    public static Task<ConnectionMultiplexer> ConnectInBackground(string configuration)
    {
        var options = Options(configuration);
        return Task.Run(() => ConnectionMultiplexer.ConnectAsync(options));
    }

    private static ConfigurationOptions Options(string configuration)
    {
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The Redis configuration string is invalid: {ex.Message}", nameof(configuration), ex);
        }

        if (!configuration.Contains("abortConnect", StringComparison.OrdinalIgnoreCase))
        {
            options.AbortOnConnectFail = false;
        }

        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;
    }
}
