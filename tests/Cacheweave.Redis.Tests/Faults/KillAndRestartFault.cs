using Cacheweave.Redis.Tests.Infrastructure;

namespace Cacheweave.Redis.Tests.Faults;

/// <summary>SIGKILL, then a restart on the same port from the same append-only file: the old values come back from disk.</summary>
public sealed class KillAndRestartFault : RedisFault
{
    public override string Name => "SIGKILL + restart with appendonly";

    public override Task BeginAsync(RedisServer server)
    {
        server.Kill();
        return Task.CompletedTask;
    }

    public override Task EndAsync(RedisServer server) => server.StartAsync();
}
