using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;

namespace Cacheweave.Tests.Examples;

/// <summary>Starts the built WebApi example on a free loopback port and calls it over HTTP.</summary>
public sealed class WebApiExampleTests : IAsyncLifetime
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private Process? _server;

    public async Task InitializeAsync()
    {
        var port = FreeLoopbackPort();
        _client.BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { ExampleAssemblyPath(), "--urls", _client.BaseAddress.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Telemetry__ExportIntervalSeconds"] = "1";
        _server = Process.Start(start) ?? throw new InvalidOperationException("Could not start the WebApi example.");
        _server.OutputDataReceived += (_, e) => _output.Enqueue(e.Data ?? "");
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await _client.GetAsync(new Uri("/stats", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < StartupTimeout && !_server.HasExited)
            {
                // Not listening yet.
            }

            if (_server.HasExited || deadline.Elapsed >= StartupTimeout)
            {
                throw new InvalidOperationException($"The WebApi example did not start (exited: {_server.HasExited}).");
            }

            await Task.Delay(100); // polling for the server to come up, not waiting for cache time
        }
    }

    public Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit();
        }

        _server?.Dispose();
        _client.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Example_serves_cached_products_caches_misses_and_invalidates()
    {
        var first = await _client.GetFromJsonAsync<ProductDto>("/products/7");
        var second = await _client.GetFromJsonAsync<ProductDto>("/products/7");
        Assert.Equal(first, second);
        Assert.Equal(1, await ExecutionsAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync(new Uri("/products/999", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync(new Uri("/products/999", UriKind.Relative))).StatusCode);
        Assert.Equal(2, await ExecutionsAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync(new Uri("/products/7/cache", UriKind.Relative))).StatusCode);
        Assert.Equal(first, await _client.GetFromJsonAsync<ProductDto>("/products/7"));
        Assert.Equal(3, await ExecutionsAsync());
    }

    [Fact]
    public async Task Example_exports_the_cacheweave_metrics_to_the_console_and_serves_its_health()
    {
        await _client.GetFromJsonAsync<ProductDto>("/products/3");
        await _client.GetFromJsonAsync<ProductDto>("/products/3");

        var health = await _client.GetStringAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal("Healthy", health);

        // The console exporter writes every second here; an export that has seen both calls names both outcomes.
        var deadline = Stopwatch.StartNew();
        while (!(Exported("cacheweave.outcome: hit") && Exported("cacheweave.outcome: miss")))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "No export of cacheweave.calls with both outcomes within 60 s:\n" + string.Join('\n', _output));
            await Task.Delay(100); // polling the exporter's output, not waiting for cache time
        }

        Assert.True(Exported("Metric Name: cacheweave.calls"));
    }

    [Fact]
    public async Task With_the_dependency_failing_clients_get_no_errors_from_fail_safe_methods()
    {
        int[] ids = [1, 2, 3];
        foreach (var id in ids)
        {
            Assert.Equal(id, (await _client.GetFromJsonAsync<PriceDto>($"/prices/{id}"))!.ProductId);
        }

        Assert.True((await _client.PostAsync(new Uri("/dependency/fail", UriKind.Relative), null)).IsSuccessStatusCode);

        // Keep calling until the prices have expired (2 s) and each one's database call has failed a few times, in
        // background refreshes and in calls after expiry: every client request must still succeed.
        var errors = 0;
        var requests = 0;
        var deadline = Stopwatch.StartNew();
        DependencyDto dependency;
        do
        {
            foreach (var id in ids)
            {
                requests++;
                using var response = await _client.GetAsync(new Uri($"/prices/{id}", UriKind.Relative));
                errors += response.IsSuccessStatusCode ? 0 : 1;
            }

            dependency = (await _client.GetFromJsonAsync<DependencyDto>("/dependency"))!;
        }
        while (dependency.FailedCalls < 2 * ids.Length && deadline.Elapsed < TimeSpan.FromSeconds(60));

        Assert.True(dependency.Failing);
        Assert.True(dependency.FailedCalls >= 2 * ids.Length, $"only {dependency.FailedCalls} dependency calls failed in {requests} requests");
        Assert.Equal(0, errors);

        // A product never cached has no stale value: its failure reaches the client.
        Assert.Equal(HttpStatusCode.InternalServerError, (await _client.GetAsync(new Uri("/products/42", UriKind.Relative))).StatusCode);
        Assert.True((await _client.PostAsync(new Uri("/dependency/recover", UriKind.Relative), null)).IsSuccessStatusCode);
        Assert.Equal(42, (await _client.GetFromJsonAsync<ProductDto>("/products/42"))!.Id);
    }

    private bool Exported(string text) => _output.Any(line => line.Contains(text, StringComparison.Ordinal));

    private async Task<int> ExecutionsAsync() => (await _client.GetFromJsonAsync<StatsDto>("/stats"))!.CatalogExecutions;

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // The test's own output folder is …/tests/Cacheweave.Tests/bin/<Configuration>/<framework>/; the example is built
    // with the same configuration and framework under examples/.
    private static string ExampleAssemblyPath()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Cacheweave.sln")))
        {
            root = root.Parent;
        }

        var path = Path.Combine(
            root?.FullName ?? throw new InvalidOperationException("Cacheweave.sln not found above " + AppContext.BaseDirectory),
            "examples", "Cacheweave.Examples.WebApi", "bin", configuration, framework, "Cacheweave.Examples.WebApi.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the WebApi example first.", path);
    }

    private sealed record ProductDto(int Id, string Name, decimal Price);

    private sealed record StatsDto(int CatalogExecutions);

    private sealed record PriceDto(int ProductId, decimal Amount, DateTimeOffset AsOf);

    private sealed record DependencyDto(bool Failing, int FailedCalls);
}
