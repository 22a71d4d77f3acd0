using Cacheweave.Backends;
using Cacheweave.Resilience;
using Cacheweave.Tests.Tiers;
using Cacheweave.Tiers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Diagnostics;

/// <summary>
/// AddCacheweaveHealthChecks against a real <see cref="ResilientCacheBackend"/> whose tier is switched off and on,
/// with the break duration measured on a fake clock.
/// </summary>
public sealed class HealthCheckTests : IDisposable
{
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly FakeSharedTier _tier;
    private readonly ResilientCacheBackend _shared;
    private readonly ServiceProvider _services;

    public HealthCheckTests()
    {
        _tier = new FakeSharedTier(_time);
        _shared = new ResilientCacheBackend(
            _tier,
            new ResilientCacheBackendOptions { CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 2, BreakDuration = BreakDuration } },
            timeProvider: _time);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCacheweave(b => b.UseDefaultBackend(_ => _shared));
        services.AddHealthChecks().AddCacheweaveHealthChecks();
        _services = services.BuildServiceProvider();
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task A_shared_tier_whose_circuits_are_closed_is_healthy()
    {
        await _shared.PutAsync("a", 1);

        var report = await CheckAsync();

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal("reads closed, writes closed", report.Data["default"]);
    }

    [Fact]
    public async Task A_shared_tier_whose_read_circuit_is_open_is_unhealthy()
    {
        await OpenReadCircuitAsync();

        var report = await CheckAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("'default'", report.Description, StringComparison.Ordinal);
        Assert.Equal("reads open, writes closed", report.Data["default"]);
    }

    [Fact]
    public async Task A_shared_tier_is_degraded_while_its_probe_is_in_flight_and_healthy_once_it_succeeds()
    {
        await OpenReadCircuitAsync();
        _tier.IsDown = false;
        _time.Advance(BreakDuration);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _tier.ReadGate = gate;
        var probe = _shared.GetAsync<int>("a").AsTask();

        var during = await CheckAsync();
        gate.SetResult();
        await probe;
        var after = await CheckAsync();

        Assert.Equal(CircuitState.Closed, _shared.ReadCircuit.State);
        Assert.Equal(HealthStatus.Degraded, during.Status);
        Assert.Equal("reads half-open, writes closed", during.Data["default"]);
        Assert.Equal(HealthStatus.Healthy, after.Status);
    }

    [Fact]
    public async Task A_shared_tier_that_refuses_only_writes_is_degraded()
    {
        _tier.IsDown = true;
        await _shared.PutAsync("a", 1);
        await _shared.PutAsync("b", 1);
        _tier.IsDown = false;
        await _shared.GetAsync<int>("c");

        var report = await CheckAsync();

        Assert.Equal(CircuitState.Open, _shared.WriteCircuit.State);
        Assert.Equal(HealthStatus.Degraded, report.Status);
    }

    [Fact]
    public async Task The_shared_tier_of_a_named_two_level_backend_is_checked_under_its_name()
    {
        var time = new FakeTimeProvider();
        var tier = new FakeSharedTier(time) { IsDown = true };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCacheweave(b => b.AddBackend("catalog", _ => new TwoLevelBackend(new LruBackend(10), tier, timeProvider: time)));
        services.AddHealthChecks().AddCacheweaveHealthChecks();
        await using var provider = services.BuildServiceProvider();
        var backend = provider.GetRequiredKeyedService<ICacheBackend>("catalog");
        for (var i = 0; i < 3; i++)
        {
            await backend.GetAsync<int>("k" + i); // the default threshold is 3 failures
        }

        var report = (await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["cacheweave"];

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal("reads open, writes closed", report.Data["catalog"]);
    }

    [Fact]
    public async Task Without_a_shared_tier_the_check_is_healthy()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCacheweave();
        services.AddHealthChecks().AddCacheweaveHealthChecks("cache");
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Entries["cache"].Status);
    }

    [Fact]
    public void The_check_name_must_not_be_empty()
    {
        var builder = new ServiceCollection().AddHealthChecks();

        var error = Assert.Throws<ArgumentException>(() => builder.AddCacheweaveHealthChecks(""));

        Assert.Equal("name", error.ParamName);
    }

    private async Task OpenReadCircuitAsync()
    {
        _tier.IsDown = true;
        await _shared.GetAsync<int>("a");
        await _shared.GetAsync<int>("a");
        Assert.Equal(CircuitState.Open, _shared.ReadCircuit.State);
    }

    private async Task<HealthReportEntry> CheckAsync() =>
        (await _services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["cacheweave"];
}
