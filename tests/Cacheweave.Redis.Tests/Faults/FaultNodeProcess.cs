using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Threading.Channels;

namespace Cacheweave.Redis.Tests.Faults;

/// <summary>
/// A Cacheweave.FaultNode process: a separate OS process with its own container, connections and L1, driven over
/// stdin and stdout.
/// </summary>
public sealed class FaultNodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _errors = new();
    private readonly string _journalPath;

    private FaultNodeProcess(string name, Process process, string journalPath)
    {
        Name = name;
        _process = process;
        _journalPath = journalPath;
    }

    public string Name { get; }

    /// <summary>The node's build output, recorded in this assembly by the project file (which also builds the node first).</summary>
    public static string NodeAssembly
    {
        get
        {
            var path = typeof(FaultNodeProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "Cacheweave.FaultNode").Value!;
            return File.Exists(path) ? path : throw new FileNotFoundException($"The fault node is not built: {path}. Build Cacheweave.sln first.", path);
        }
    }

    public static FaultNodeProcess Start(string name, string journalPath, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(NodeAssembly);
        foreach (var argument in arguments.Concat(["--journal", journalPath]))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the fault node.");
        var node = new FaultNodeProcess(name, process, journalPath);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                node._lines.Writer.TryWrite(line);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (node._errors)
            {
                node._errors.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Waits for the node to print <paramref name="expected"/>; fails naming the node and its stderr otherwise.</summary>
    public async Task WaitForAsync(string expected, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (await _lines.Reader.ReadAsync(timeout.Token) != expected)
            {
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{Name} did not print '{expected}' within {within.TotalSeconds:0} s (exited: {_process.HasExited}). stderr:\n{Errors}");
        }
    }

    /// <summary>Waits for a line starting with <paramref name="prefix"/> and returns the rest of it; fails naming the node otherwise.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(timeout.Token);
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line[prefix.Length..];
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{Name} printed no line starting '{prefix}' within {within.TotalSeconds:0} s (exited: {_process.HasExited}). stderr:\n{Errors}");
            throw;
        }
    }

    public async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Stops the node and reads its journal.</summary>
    public async Task<NodeJournal> StopAsync()
    {
        await SendAsync("stop");
        await WaitForAsync("stopped", TimeSpan.FromSeconds(60));
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(exited.Token);
        Assert.True(_process.ExitCode == 0, $"{Name} exited with {_process.ExitCode}. stderr:\n{Errors}");
        return NodeJournal.Parse(Name, await File.ReadAllLinesAsync(_journalPath));
    }

    private string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
