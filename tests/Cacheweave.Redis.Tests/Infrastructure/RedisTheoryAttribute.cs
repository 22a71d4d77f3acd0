namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>A theory that needs redis-server; skipped or failing exactly like <see cref="RedisFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RedisTheoryAttribute : TheoryAttribute
{
    public RedisTheoryAttribute()
    {
        if (RedisServer.BinaryPath is null && !RedisServer.IsCi)
        {
            Skip = RedisFactAttribute.SkipReason;
        }
    }
}
