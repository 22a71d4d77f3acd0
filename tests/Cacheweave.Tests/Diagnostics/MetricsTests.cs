using Cacheweave.Backends;
using Cacheweave.Diagnostics;
using Cacheweave.Resilience;
using Cacheweave.Tests.Infrastructure;
using Cacheweave.Tests.Tiers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Cacheweave.Tests.Diagnostics.Measurements;

namespace Cacheweave.Tests.Diagnostics;

public sealed class MetricsTests
{
    private const string Service = "Cacheweave.Tests.Diagnostics.IPriceList";

    [Fact]
    public async Task Calls_are_counted_by_outcome_with_service_method_and_backend_tags()
    {
        using var harness = new TelemetryHarness();
        using var calls = harness.Collect<long>("cacheweave.calls");

        await harness.Proxy.PriceAsync(1);
        await harness.Proxy.PriceAsync(1);
        await harness.Proxy.PriceAsync(1);
        await harness.Proxy.PriceAsync(2);

        var method = Tag("cacheweave.method", nameof(IPriceList.PriceAsync));
        var tags = new[] { Tag("cacheweave.service", Service), method, Tag("cacheweave.backend", "default") };
        Assert.Equal(2, calls.Observe([.. tags, Tag("cacheweave.outcome", "hit")]));
        Assert.Equal(2, calls.Observe([.. tags, Tag("cacheweave.outcome", "miss")]));
        Assert.Null(calls.Observe(method, Tag("cacheweave.outcome", "fail_safe")));
        Assert.Equal("{call}", calls.Instrument!.Unit);
    }

    [Fact]
    public async Task Every_return_shape_counts_its_hits_and_misses()
    {
        using var harness = new TelemetryHarness();
        using var calls = harness.Collect<long>("cacheweave.calls");

        await harness.Proxy.PriceValueAsync(1);
        await harness.Proxy.PriceValueAsync(1);
        harness.Proxy.Price(1);
        harness.Proxy.Price(1);
        harness.Proxy.Price(1);

        Assert.Equal(1, calls.Observe(Tag("cacheweave.method", nameof(IPriceList.PriceValueAsync)), Tag("cacheweave.outcome", "hit")));
        Assert.Equal(1, calls.Observe(Tag("cacheweave.method", nameof(IPriceList.PriceValueAsync)), Tag("cacheweave.outcome", "miss")));
        Assert.Equal(2, calls.Observe(Tag("cacheweave.method", nameof(IPriceList.Price)), Tag("cacheweave.outcome", "hit")));
        Assert.Equal(1, calls.Observe(Tag("cacheweave.method", nameof(IPriceList.Price)), Tag("cacheweave.outcome", "miss")));
    }

    [Fact]
    public async Task Concurrent_callers_of_one_key_each_get_exactly_one_outcome_and_only_the_runner_a_miss()
    {
        using var harness = new TelemetryHarness();
        using var calls = harness.Collect<long>("cacheweave.calls");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Prices.Gate = release.Task;
        const int callers = 16;

        var pending = Enumerable.Range(0, callers).Select(_ => Task.Run(() => harness.Proxy.PriceAsync(7))).ToArray();
        await Poll.UntilAsync(() => harness.Prices.Runs == 1);
        release.SetResult();
        await Task.WhenAll(pending);

        var method = Tag("cacheweave.method", nameof(IPriceList.PriceAsync));
        var misses = calls.Observe(method, Tag("cacheweave.outcome", "miss"));
        var hits = calls.Observe(method, Tag("cacheweave.outcome", "hit"));
        Assert.Equal(harness.Prices.Runs, misses);
        Assert.Equal(callers, misses + hits);
    }

    [Fact]
    public void Overloads_sharing_a_method_tag_are_reported_as_one_sum()
    {
        using var harness = new TelemetryHarness();
        using var calls = harness.Collect<long>("cacheweave.calls");

        harness.Proxy.Price(1);
        harness.Proxy.Price(1);
        harness.Proxy.Price("abc");
        harness.Proxy.Price("abc");
        harness.Proxy.Price("abc");

        calls.RecordObservableInstruments();
        var hits = calls.With(Tag("cacheweave.method", nameof(IPriceList.Price)), Tag("cacheweave.outcome", "hit"));
        Assert.Equal(3, Assert.Single(hits).Value);
        Assert.Equal(2, calls.Observe(Tag("cacheweave.method", nameof(IPriceList.Price)), Tag("cacheweave.outcome", "miss")));
    }

    [Fact]
    public async Task Method_duration_is_recorded_in_seconds_on_a_miss_and_not_on_a_hit()
    {
        using var harness = new TelemetryHarness();
        using var duration = harness.Collect<double>("cacheweave.method.duration");

        await harness.Proxy.PriceAsync(1);
        await harness.Proxy.PriceAsync(1);

        var measurement = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.True(measurement.MatchesTags(
            Tag("cacheweave.service", Service), Tag("cacheweave.method", nameof(IPriceList.PriceAsync)), Tag("cacheweave.backend", "default")));
        Assert.InRange(measurement.Value, 0, 60);
        Assert.Equal("s", duration.Instrument!.Unit);
    }

    [Fact]
    public async Task A_failing_run_is_timed_with_its_error_type()
    {
        using var harness = new TelemetryHarness();
        using var duration = harness.Collect<double>("cacheweave.method.duration");
        using var calls = harness.Collect<long>("cacheweave.calls");

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Proxy.BrokenPriceAsync(1));

        var measurement = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.True(measurement.ContainsTags(Tag("error.type", typeof(InvalidOperationException).FullName)));
        Assert.Equal(1, calls.Observe(Tag("cacheweave.method", nameof(IPriceList.BrokenPriceAsync)), Tag("cacheweave.outcome", "miss")));
    }

    [Fact]
    public async Task A_named_backend_is_the_backend_tag_of_its_methods()
    {
        using var harness = new TelemetryHarness(b => b.AddBackend("prices", _ => new LruBackend(10)));
        using var calls = harness.Collect<long>("cacheweave.calls");

        await harness.Proxy.PriceAsync(1);

        // IPriceList names no backend, so it uses the default one even when a named one exists.
        Assert.Equal(1, calls.Observe(Tag("cacheweave.backend", "default"), Tag("cacheweave.outcome", "miss")));
        Assert.Null(calls.Observe(Tag("cacheweave.backend", "prices")));
    }

    [Fact]
    public async Task In_memory_lookups_evictions_expirations_and_entries_are_reported_per_backend_and_tier()
    {
        var time = new FakeTimeProvider();
        using var harness = new TelemetryHarness(b => b.UseDefaultBackend(_ => new LruTtlBackend(2, TimeSpan.FromMinutes(10), time)));
        using var lookups = harness.Collect<long>("cacheweave.backend.lookups");
        using var evictions = harness.Collect<long>("cacheweave.backend.evictions");
        using var expirations = harness.Collect<long>("cacheweave.backend.expirations");
        using var entries = harness.Collect<long>("cacheweave.backend.entries");
        var backend = harness.Services.GetRequiredService<ICacheBackend>();

        await backend.PutAsync("a", 1);
        await backend.PutAsync("b", 2);
        await backend.GetAsync<int>("a");
        await backend.PutAsync("c", 3);
        await backend.PutAsync("d", 4, CacheEntryOptions.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(2));
        await backend.GetAsync<int>("d");
        await backend.GetAsync<int>("never-written");

        // Four keys into two places: two evictions, whichever keys they took; d expired: one expiration, one entry left.
        var tier = new[] { Tag("cacheweave.backend", "default"), Tag("cacheweave.tier", "local") };
        Assert.Equal(1, lookups.Observe([.. tier, Tag("cacheweave.lookup.result", "hit")]));
        Assert.Equal(2, lookups.Observe([.. tier, Tag("cacheweave.lookup.result", "miss")]));
        Assert.Equal(2, evictions.Observe(tier));
        Assert.Equal(1, expirations.Observe(tier));
        Assert.Equal(1, entries.Observe(tier));
    }

    [Fact]
    public async Task The_bytes_a_budgeted_backend_holds_are_reported()
    {
        using var harness = new TelemetryHarness(b => b.UseDefaultBackend(_ => new LruBackend(new InMemoryBackendOptions { Capacity = 10, MaxBytes = 100 })));
        using var size = harness.Collect<long>("cacheweave.backend.size");
        var backend = harness.Services.GetRequiredService<ICacheBackend>();

        await backend.PutAsync("a", 1, new CacheEntryOptions { Size = 30 });
        await backend.PutAsync("b", 2, new CacheEntryOptions { Size = 12 });
        await backend.RemoveAsync("a");

        Assert.Equal(12, size.Observe(Tag("cacheweave.backend", "default"), Tag("cacheweave.tier", "local")));
    }

    [Fact]
    public async Task Shared_tier_calls_are_timed_per_backend_tier_and_operation()
    {
        var time = new FakeTimeProvider();
        var inner = new FakeSharedTier(time);
        using var harness = new TelemetryHarness(b => b.AddBackend("redis", _ => new ResilientCacheBackend(inner, timeProvider: time)));
        using var duration = harness.Collect<double>("cacheweave.backend.operation.duration");
        var backend = harness.Services.GetRequiredKeyedService<ICacheBackend>("redis");

        await backend.PutAsync("a", 1);
        await backend.GetAsync<int>("a");
        await backend.RemoveAsync("a");
        inner.IsDown = true;
        await backend.GetAsync<int>("a");

        var tier = new[] { Tag("cacheweave.backend", "redis"), Tag("cacheweave.tier", "shared") };
        Assert.Single(duration.With([.. tier, Tag("cacheweave.operation", "put")]));
        Assert.Single(duration.With([.. tier, Tag("cacheweave.operation", "remove")]));
        var gets = duration.With([.. tier, Tag("cacheweave.operation", "get")]);
        Assert.Equal(2, gets.Count);
        Assert.False(gets[0].ContainsTags("error.type"));
        Assert.True(gets[1].ContainsTags(Tag("error.type", "unavailable")));
        Assert.Equal("s", duration.Instrument!.Unit);
    }

    [Fact]
    public async Task The_shared_tier_circuit_state_is_one_for_the_current_state_and_zero_for_the_others()
    {
        var time = new FakeTimeProvider();
        var inner = new FakeSharedTier(time) { IsDown = true };
        var options = new ResilientCacheBackendOptions { CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 1 } };
        using var harness = new TelemetryHarness(b => b.UseDefaultBackend(_ => new ResilientCacheBackend(inner, options, timeProvider: time)));
        using var state = harness.Collect<int>("cacheweave.backend.circuit.state");
        var backend = harness.Services.GetRequiredService<ICacheBackend>();
        KeyValuePair<string, object?>[] Read(string s) =>
            [Tag("cacheweave.backend", "default"), Tag("cacheweave.tier", "shared"), Tag("cacheweave.circuit", "read"), Tag("cacheweave.circuit.state", s)];

        Assert.Equal(1, state.Observe(Read("closed")));
        Assert.Equal(0, state.Observe(Read("open")));

        await backend.GetAsync<int>("a");

        Assert.Equal(0, state.Observe(Read("closed")));
        Assert.Equal(1, state.Observe(Read("open")));
        Assert.Equal(0, state.Observe(Read("half_open")));
        Assert.Equal(1, state.Observe(Tag("cacheweave.circuit", "write"), Tag("cacheweave.circuit.state", "closed")));
    }

    [Fact]
    public async Task A_two_level_backend_reports_its_local_tier_and_its_shared_tier_under_one_name()
    {
        var time = new FakeTimeProvider();
        using var harness = new TelemetryHarness(b => b.UseDefaultBackend(_ =>
            new Cacheweave.Tiers.TwoLevelBackend(new LruBackend(10), new FakeSharedTier(time), timeProvider: time)));
        using var lookups = harness.Collect<long>("cacheweave.backend.lookups");
        using var duration = harness.Collect<double>("cacheweave.backend.operation.duration");

        await harness.Proxy.PriceAsync(1);
        await harness.Proxy.PriceAsync(1);

        Assert.Equal(1, lookups.Observe(Tag("cacheweave.backend", "default"), Tag("cacheweave.tier", "local"), Tag("cacheweave.lookup.result", "hit")));
        Assert.NotEmpty(duration.With(Tag("cacheweave.backend", "default"), Tag("cacheweave.tier", "shared"), Tag("cacheweave.operation", "get")));
        Assert.NotEmpty(duration.With(Tag("cacheweave.backend", "default"), Tag("cacheweave.tier", "shared"), Tag("cacheweave.operation", "put")));
    }

    [Fact]
    public void Without_a_meter_factory_the_container_makes_its_own_meter_and_disposes_it()
    {
        var services = new ServiceCollection();
        services.AddCacheweave();
        var provider = services.BuildServiceProvider();
        var metrics = provider.GetRequiredService<CacheweaveMetrics>();
        Assert.Equal(CacheweaveDiagnostics.MeterName, metrics.Meter.Name);
        var published = false;
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, _) => published |= ReferenceEquals(instrument.Meter, metrics.Meter),
        };
        listener.Start();
        Assert.True(published);

        provider.Dispose();

        var stillPublished = false;
        using var after = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, _) => stillPublished |= ReferenceEquals(instrument.Meter, metrics.Meter),
        };
        after.Start();
        Assert.False(stillPublished);
    }
}
