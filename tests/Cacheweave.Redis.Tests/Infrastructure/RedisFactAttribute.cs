namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>
/// A fact that needs redis-server. Without the binary it is skipped with the reason — except under CI=true, where
/// it runs and fails, so that a CI machine missing Redis cannot pass silently.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisServer.BinaryPath is null && !RedisServer.IsCi)
        {
            Skip = SkipReason;
        }
    }

    internal const string SkipReason =
        "redis-server is not on PATH; install it (apt-get install -y redis-server) to run the Redis tests. With CI=true these tests fail instead of skipping.";
}
