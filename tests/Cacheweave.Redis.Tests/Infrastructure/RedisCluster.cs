using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>
/// A Redis Cluster of three masters and no replicas on loopback: three redis-server processes with cluster mode on,
/// each with its own directory and cluster config file, joined with <c>redis-cli --cluster create</c>.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private const int Masters = 3;
    private static readonly Lazy<string?> s_cli = new(FindCli);
    private readonly List<RedisServer> _nodes;

    private RedisCluster(List<RedisServer> nodes, TimeSpan startTime)
    {
        _nodes = nodes;
        StartTime = startTime;
    }

    /// <summary>
    /// The full path of redis-cli: beside redis-server (the package ships both), otherwise the first on PATH; null
    /// when there is none.
    /// </summary>
    public static string? CliPath => s_cli.Value;

    /// <summary>The three masters.</summary>
    public IReadOnlyList<RedisServer> Nodes => _nodes;

    /// <summary>From the first process start until every node reported cluster_state:ok.</summary>
    public TimeSpan StartTime { get; }

    /// <summary>A StackExchange.Redis configuration string naming every master.</summary>
    public string Configuration => string.Join(',', _nodes.Select(node => node.Configuration));

    /// <summary>Starts three cluster-mode servers on free loopback ports, joins them and waits until the cluster is ok on every node.</summary>
    public static async Task<RedisCluster> StartAsync(string serverBinary, string cliBinary)
    {
        var watch = Stopwatch.StartNew();

        // Six distinct ports: a client port and a cluster bus port per node. The bus port is given explicitly
        // because the default (client port + 10000) overflows for ports from the ephemeral range.
        var ports = new HashSet<int>();
        while (ports.Count < 2 * Masters)
        {
            ports.Add(RedisServer.FreePort());
        }

        var free = ports.ToArray();
        var nodes = new List<RedisServer>(Masters);
        try
        {
            for (var i = 0; i < Masters; i++)
            {
                nodes.Add(await RedisServer.StartAsync(
                    serverBinary,
                    free[i],
                    ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-port", Text(free[Masters + i])]).ConfigureAwait(false));
            }

            await CreateAsync(cliBinary, nodes).ConfigureAwait(false);
            foreach (var node in nodes)
            {
                await WaitUntilOkAsync(node).ConfigureAwait(false);
            }
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        return new RedisCluster(nodes, watch.Elapsed);
    }

    /// <summary>
    /// Sends one command to <paramref name="node"/> alone over a raw socket (no cluster client in between) and
    /// returns the reply as text: the payload of a bulk string, or the line of a simple string or integer.
    /// </summary>
    /// <exception cref="InvalidOperationException">The node answered with an error.</exception>
    public static async Task<string> QueryAsync(RedisServer node, params string[] command)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.ConnectAsync(IPAddress.Loopback, node.Port, timeout.Token).ConfigureAwait(false);
        var stream = client.GetStream();
        var request = new StringBuilder().Append(CultureInfo.InvariantCulture, $"*{command.Length}\r\n");
        foreach (var argument in command)
        {
            request.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(argument)}\r\n{argument}\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), timeout.Token).ConfigureAwait(false);

        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"The node on port {node.Port} closed the connection after {string.Join(' ', command)}.");
            }

            received.AddRange(buffer.AsSpan(0, read));
            if (TryParseReply(received, out var reply))
            {
                return reply.StartsWith('-')
                    ? throw new InvalidOperationException($"The node on port {node.Port} answered {string.Join(' ', command)} with {reply}")
                    : reply;
            }
        }
    }

    /// <summary>Kills every node and deletes their directories.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task CreateAsync(string cliBinary, List<RedisServer> nodes)
    {
        var start = new ProcessStartInfo(cliBinary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--cluster");
        start.ArgumentList.Add("create");
        foreach (var node in nodes)
        {
            start.ArgumentList.Add(node.Configuration);
        }

        foreach (var argument in new[] { "--cluster-replicas", "0", "--cluster-yes" })
        {
            start.ArgumentList.Add(argument);
        }

        using var cli = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {cliBinary}.");
        var output = cli.StandardOutput.ReadToEndAsync();
        var errors = cli.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await cli.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            cli.Kill();
            throw new InvalidOperationException($"redis-cli --cluster create did not finish within 60 s. Output:\n{await output.ConfigureAwait(false)}");
        }

        if (cli.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"redis-cli --cluster create exited with {cli.ExitCode}. Output:\n{await output.ConfigureAwait(false)}\n{await errors.ConfigureAwait(false)}");
        }
    }

    private static async Task WaitUntilOkAsync(RedisServer node)
    {
        var deadline = Stopwatch.StartNew();
        var info = string.Empty;
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            info = await QueryAsync(node, "CLUSTER", "INFO").ConfigureAwait(false);
            if (info.Contains("cluster_state:ok", StringComparison.Ordinal)
                && info.Contains($"cluster_known_nodes:{Masters}", StringComparison.Ordinal)
                && info.Contains("cluster_slots_ok:16384", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"The cluster node on port {node.Port} is not ok after 30 s. CLUSTER INFO:\n{info}\nLog:\n{node.Output}");
    }

    private static bool TryParseReply(List<byte> received, out string reply)
    {
        reply = string.Empty;
        var text = Encoding.ASCII.GetString(received.ToArray());
        var headerEnd = text.IndexOf("\r\n", StringComparison.Ordinal);
        if (headerEnd < 0)
        {
            return false;
        }

        if (text[0] != '$')
        {
            // A simple string, an error or an integer: the first line is all of it.
            reply = text[0] == '-' ? text[..headerEnd] : text[1..headerEnd];
            return true;
        }

        var length = int.Parse(text.AsSpan(1, headerEnd - 1), CultureInfo.InvariantCulture);
        if (length < 0)
        {
            return true;
        }

        if (received.Count < headerEnd + 2 + length)
        {
            return false;
        }

        reply = text.Substring(headerEnd + 2, length);
        return true;
    }

    private static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);

    private static string? FindCli()
    {
        if (RedisServer.BinaryPath is { } server
            && Path.Combine(Path.GetDirectoryName(server)!, "redis-cli") is var beside
            && File.Exists(beside))
        {
            return beside;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "redis-cli"))
            .FirstOrDefault(File.Exists);
    }
}
