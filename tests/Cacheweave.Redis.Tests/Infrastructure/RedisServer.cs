using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>A redis-server process of its own on a free loopback port, which a test can kill and restart.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly Lazy<string?> s_binary = new(FindBinary);
    private readonly string _directory;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private readonly string[] _extraArguments;

    private RedisServer(string binary, int port, string[] extraArguments)
    {
        _extraArguments = extraArguments;
        Binary = binary;
        Port = port;
        _directory = Directory.CreateTempSubdirectory("cacheweave-redis-").FullName;
    }

    /// <summary>
    /// The full path of redis-server: the file CACHEWEAVE_REDIS_SERVER names when that is set (a path that does not
    /// exist means "missing"), otherwise the first redis-server on PATH; null when there is none.
    /// </summary>
    public static string? BinaryPath => s_binary.Value;

    /// <summary>True when the tests run in CI, where a missing redis-server is a failure rather than a skip.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public string Binary { get; }

    public int Port { get; }

    public EndPoint EndPoint => new IPEndPoint(IPAddress.Loopback, Port);

    /// <summary>A StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a server; <paramref name="extraArguments"/> are added to (and override) the default settings.</summary>
    public static async Task<RedisServer> StartAsync(string binary, params string[] extraArguments)
    {
        var server = new RedisServer(binary, FreePort(), extraArguments);
        await server.StartAsync().ConfigureAwait(false);
        return server;
    }

    /// <summary>Starts the server (again) on the same port and waits until it answers PING.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        foreach (var argument in new[]
        {
            "--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--save", string.Empty, "--appendonly", "no", "--dir", _directory, "--daemonize", "no", "--loglevel", "warning",
        }.Concat(_extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Binary}.");
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await PingAsync().ConfigureAwait(false))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"redis-server did not come up on port {Port}. Output:\n{Output}");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>Kills the server with SIGKILL, as a crash would.</summary>
    public void Kill()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }

            process.Dispose();
            _process = null;
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Sends PING over a raw socket: true when the server answers PONG.</summary>
    public async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token).ConfigureAwait(false);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindBinary()
    {
        if (Environment.GetEnvironmentVariable("CACHEWEAVE_REDIS_SERVER") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? Path.GetFullPath(configured) : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "redis-server"))
            .FirstOrDefault(File.Exists);
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
