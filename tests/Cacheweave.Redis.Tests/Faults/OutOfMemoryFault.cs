using System.Globalization;
using Cacheweave.Redis.Tests.Infrastructure;

namespace Cacheweave.Redis.Tests.Faults;

/// <summary>
/// <c>maxmemory</c> with the <c>noeviction</c> policy, kept full by filler keys outside the cache's prefix: every write
/// (and every script that may write) fails with OOM while the server keeps answering reads and removals.
/// </summary>
public sealed class OutOfMemoryFault : RedisFault
{
    private const string FillerPrefix = "filler:";
    // Redis 7 refuses a command whose own arguments would not fit, so a large filler is refused while small writes still
    // fit: fill with ever smaller values until even a one-byte value is refused.
    private static readonly string[] s_fillers = [.. new[] { 256 * 1024, 16 * 1024, 1024, 64, 1 }.Select(size => new string('x', size))];
    private CancellationTokenSource? _stop;
    private Task? _keepFull;
    private int _fillers;

    public override string Name => "maxmemory noeviction, kept full";

    public override async Task BeginAsync(RedisServer server)
    {
        Assert.Equal("+OK", await RedisAdmin.SendAsync(server.Port, "CONFIG", "SET", "maxmemory-policy", "noeviction"));
        var used = UsedMemory(await RedisAdmin.SendAsync(server.Port, "INFO", "memory"));
        Assert.Equal("+OK", await RedisAdmin.SendAsync(server.Port, "CONFIG", "SET", "maxmemory", (used + (1024 * 1024)).ToString(CultureInfo.InvariantCulture)));
        await FillAsync(server);
        _stop = new CancellationTokenSource();
        var stop = _stop.Token;

        // Removals free a little memory; topping up keeps every write failing for the whole fault.
        _keepFull = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await FillAsync(server);
                await Task.Delay(50, CancellationToken.None);
            }
        });
    }

    public override async Task EndAsync(RedisServer server)
    {
        await (_stop ?? throw new InvalidOperationException("The fault was not begun.")).CancelAsync();
        await _keepFull!;
        _stop.Dispose();
        Assert.Equal("+OK", await RedisAdmin.SendAsync(server.Port, "CONFIG", "SET", "maxmemory", "0"));
        for (var i = 0; i < _fillers; i++)
        {
            await RedisAdmin.SendAsync(server.Port, "UNLINK", FillerPrefix + i.ToString(CultureInfo.InvariantCulture));
        }
    }

    private async Task FillAsync(RedisServer server)
    {
        foreach (var filler in s_fillers)
        {
            while (true)
            {
                var reply = await RedisAdmin.SendAsync(server.Port, "SET", FillerPrefix + _fillers.ToString(CultureInfo.InvariantCulture), filler);
                if (reply.StartsWith("-OOM", StringComparison.Ordinal))
                {
                    break;
                }

                Assert.Equal("+OK", reply);
                _fillers++;
            }
        }
    }

    private static long UsedMemory(string info) =>
        long.Parse(
            info.Split("\r\n").Single(line => line.StartsWith("used_memory:", StringComparison.Ordinal))["used_memory:".Length..],
            CultureInfo.InvariantCulture);
}
