using Cacheweave.Redis.Tests.Infrastructure;

namespace Cacheweave.Redis.Tests.Faults;

/// <summary>
/// <c>CLIENT KILL TYPE pubsub</c>, repeated every 100 ms for the whole fault: the subscriptions keep dropping (and the
/// messages published meanwhile are lost), while the ordinary command connections are untouched.
/// </summary>
public sealed class PubSubKillFault : RedisFault
{
    private CancellationTokenSource? _stop;
    private Task? _killing;
    private int _killed;

    public override string Name => "CLIENT KILL TYPE pubsub (every 100 ms)";

    /// <summary>How many subscriber connections were killed.</summary>
    public int Killed => Volatile.Read(ref _killed);

    public override async Task BeginAsync(RedisServer server)
    {
        await KillAsync(server);
        _stop = new CancellationTokenSource();
        var stop = _stop.Token;
        _killing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(100, CancellationToken.None);
                await KillAsync(server);
            }
        });
    }

    public override async Task EndAsync(RedisServer server)
    {
        await (_stop ?? throw new InvalidOperationException("The fault was not begun.")).CancelAsync();
        await _killing!;
        _stop.Dispose();
    }

    private async Task KillAsync(RedisServer server)
    {
        var reply = await RedisAdmin.SendAsync(server.Port, "CLIENT", "KILL", "TYPE", "pubsub");
        Assert.StartsWith(":", reply, StringComparison.Ordinal);
        Interlocked.Add(ref _killed, int.Parse(reply.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture));
    }
}
