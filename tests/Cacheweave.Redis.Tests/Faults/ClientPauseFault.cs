using Cacheweave.Redis.Tests.Infrastructure;

namespace Cacheweave.Redis.Tests.Faults;

/// <summary><c>CLIENT PAUSE</c>: the server stops serving its clients (the connections stay open) until the pause runs out.</summary>
public sealed class ClientPauseFault(int milliseconds) : RedisFault
{
    public override string Name => $"CLIENT PAUSE {milliseconds}";

    public override async Task BeginAsync(RedisServer server) =>
        Assert.Equal("+OK", await RedisAdmin.SendAsync(server.Port, "CLIENT", "PAUSE", milliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    // The scenario ends the fault when the pause has run out; unpausing makes that exact.
    public override async Task EndAsync(RedisServer server) =>
        Assert.Equal("+OK", await RedisAdmin.SendAsync(server.Port, "CLIENT", "UNPAUSE"));
}
