using Cacheweave.Redis.Tests.Infrastructure;

namespace Cacheweave.Redis.Tests.Faults;

/// <summary>A fault injected into a real redis-server: begun, held for a while, then ended.</summary>
public abstract class RedisFault
{
    /// <summary>How the fault reads in a report, e.g. "DEBUG SLEEP 3".</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The server's settings: persistence on (the append-only file, written at least every second, so a killed server
    /// comes back with the values it held, as production Redis does) and the DEBUG command enabled.
    /// </summary>
    public virtual string[] ServerSettings => ["--appendonly", "yes", "--appendfsync", "everysec", "--enable-debug-command", "yes"];

    /// <summary>Injects the fault; returns once it is in effect.</summary>
    public abstract Task BeginAsync(RedisServer server);

    /// <summary>Ends the fault; returns once the server itself is healthy again (what the clients then do is what the test watches).</summary>
    public abstract Task EndAsync(RedisServer server);
}
