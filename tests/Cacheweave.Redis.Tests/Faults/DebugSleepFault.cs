using Cacheweave.Redis.Tests.Infrastructure;

namespace Cacheweave.Redis.Tests.Faults;

/// <summary><c>DEBUG SLEEP</c>: the server hangs, holding every command sent meanwhile, then runs them in order.</summary>
public sealed class DebugSleepFault(int seconds) : RedisFault
{
    private Task<string>? _sleep;

    public override string Name => $"DEBUG SLEEP {seconds}";

    public override async Task BeginAsync(RedisServer server)
    {
        _sleep = RedisAdmin.SendAsync(server.Port, "DEBUG", "SLEEP", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // A PING would only hang behind the sleep; a short pause lets the command reach the server.
        await Task.Delay(50);
        Assert.False(_sleep.IsCompleted, "DEBUG SLEEP answered at once (is enable-debug-command off?)");
    }

    public override async Task EndAsync(RedisServer server)
    {
        Assert.Equal("+OK", await (_sleep ?? throw new InvalidOperationException("The fault was not begun.")));
    }
}
