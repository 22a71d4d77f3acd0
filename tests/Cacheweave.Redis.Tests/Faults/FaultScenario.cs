using System.Globalization;
using Cacheweave.Redis.Tests.Infrastructure;

namespace Cacheweave.Redis.Tests.Faults;

/// <summary>
/// One writer and two reader processes over one redis-server of their own, 8 callers each; the fault is injected,
/// 1.5 s into it the writer raises every key's version in the source of truth and invalidates it, the fault ends after
/// 3 s, recovery is allowed 5 s, and the nodes are then watched for 4 s more.
/// </summary>
public static class FaultScenario
{
    public static readonly TimeSpan FaultLength = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan WriteInto = TimeSpan.FromSeconds(1.5);
    public static readonly TimeSpan RecoveryAllowance = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Observation = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan s_warmUp = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan s_startup = TimeSpan.FromSeconds(90);
    private static readonly string[] s_keys = ["price", "stock", "permissions", "quota"];

    public static async Task<FaultOutcome> RunAsync(RedisFault fault)
    {
        var binary = RedisServer.BinaryPath ?? throw new InvalidOperationException("redis-server was not found (PATH, or CACHEWEAVE_REDIS_SERVER).");
        var directory = Directory.CreateTempSubdirectory("cacheweave-faults-").FullName;
        var truth = Directory.CreateDirectory(Path.Combine(directory, "truth")).FullName;
        foreach (var key in s_keys)
        {
            File.WriteAllText(Path.Combine(truth, key), "1");
        }

        var server = await RedisServer.StartAsync(binary, fault.ServerSettings);
        var nodes = new List<FaultNodeProcess>();
        try
        {
            var prefix = $"faults:{Guid.NewGuid():N}:";
            foreach (var (role, id) in new[] { ("writer", 0), ("reader", 1), ("reader", 2) })
            {
                var name = $"{role}-{id}";
                nodes.Add(FaultNodeProcess.Start(
                    name,
                    Path.Combine(directory, name + ".journal"),
                    "--redis", server.Configuration, "--role", role, "--id", id.ToString(CultureInfo.InvariantCulture),
                    "--truth", truth, "--prefix", prefix, "--keys", string.Join(',', s_keys)));
            }

            await Task.WhenAll(nodes.Select(n => n.WaitForAsync("ready", s_startup)));
            await Task.Delay(s_warmUp);

            var writer = nodes[0];
            // The fault's clock starts once it is in effect (filling memory, for one, takes a moment).
            await fault.BeginAsync(server);
            var faultStart = DateTime.UtcNow;
            await DelayUntil(faultStart + WriteInto);
            await writer.SendAsync("bump");
            await DelayUntil(faultStart + FaultLength);
            await fault.EndAsync(server);
            var faultEnd = DateTime.UtcNow;
            await writer.WaitForAsync("bumped", TimeSpan.FromSeconds(60));
            await DelayUntil(faultEnd + RecoveryAllowance + Observation);

            var journals = new List<NodeJournal>();
            foreach (var node in nodes)
            {
                journals.Add(await node.StopAsync());
            }

            return new FaultOutcome
            {
                Fault = fault.Name,
                Nodes = journals,
                FaultStart = faultStart.Ticks,
                FaultEnd = faultEnd.Ticks,
                RecoveredBy = (faultEnd + RecoveryAllowance).Ticks,
                Timeout = new RedisCacheOptions().Timeout,
            };
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            await server.DisposeAsync();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory must not hide the test's own failure.
            }
        }
    }

    private static async Task DelayUntil(DateTime when)
    {
        var left = when - DateTime.UtcNow;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }
    }
}
