using System.Collections.Concurrent;
using System.Diagnostics;
using Cacheweave.Diagnostics;
using Cacheweave.Resilience;
using Cacheweave.Tests.Tiers;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Diagnostics;

/// <summary>
/// The spans of the <c>Cacheweave</c> activity source. The listener is process-wide, so each test makes its calls inside
/// a trace of its own and reads only the spans of that trace.
/// </summary>
public sealed class TracingTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public TracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CacheweaveDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task An_in_memory_hit_emits_no_span()
    {
        using var harness = new TelemetryHarness();
        using var test = StartTrace();
        await harness.Proxy.PriceAsync(1);
        var afterMiss = SpansIn(test).Count;

        await harness.Proxy.PriceAsync(1);
        await harness.Proxy.PriceValueAsync(2);
        await harness.Proxy.PriceValueAsync(2);
        harness.Proxy.Price(3);
        harness.Proxy.Price(3);

        Assert.Equal(2, afterMiss);
        Assert.Equal(afterMiss + 4, SpansIn(test).Count); // the two misses only
    }

    [Fact]
    public async Task A_miss_emits_a_miss_span_whose_child_is_the_run_of_the_method()
    {
        using var harness = new TelemetryHarness();
        using var test = StartTrace();

        await harness.Proxy.PriceAsync(5);

        var spans = SpansIn(test);
        var miss = Assert.Single(spans, s => s.OperationName == "cacheweave.miss");
        var run = Assert.Single(spans, s => s.OperationName == "cacheweave.run");
        Assert.Equal(miss.SpanId, run.ParentSpanId);
        Assert.Equal(miss.TraceId, run.TraceId);
        Assert.Equal("Cacheweave.Tests.Diagnostics.IPriceList.PriceAsync", miss.GetTagItem("cacheweave.service") + "." + miss.GetTagItem("cacheweave.method"));
        Assert.Equal("default", run.GetTagItem("cacheweave.backend"));
        Assert.StartsWith("cw:", (string?)run.GetTagItem("cacheweave.key"), StringComparison.Ordinal);
        Assert.Equal(ActivityStatusCode.Unset, run.Status);
    }

    [Fact]
    public async Task A_failing_run_ends_its_span_with_an_error()
    {
        using var harness = new TelemetryHarness();
        using var test = StartTrace();

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Proxy.BrokenPriceAsync(1));

        var run = Assert.Single(SpansIn(test), s => s.OperationName == "cacheweave.run");
        Assert.Equal(ActivityStatusCode.Error, run.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, run.GetTagItem("error.type"));
    }

    [Fact]
    public async Task Shared_tier_calls_emit_client_spans_inside_the_miss()
    {
        var time = new FakeTimeProvider();
        using var harness = new TelemetryHarness(b => b.UseDefaultBackend(_ => new ResilientCacheBackend(new FakeSharedTier(time), timeProvider: time)));
        using var test = StartTrace();

        await harness.Proxy.PriceAsync(9);

        var spans = SpansIn(test);
        // The lookup, then (inside the miss, after taking the key's lock) the look again.
        var gets = spans.Where(s => s.OperationName == "cacheweave.shared get").ToList();
        var get = Assert.Single(gets, s => s.ParentSpanId == test.SpanId);
        var put = Assert.Single(spans, s => s.OperationName == "cacheweave.shared put");
        var miss = Assert.Single(spans, s => s.OperationName == "cacheweave.miss");
        Assert.Equal(ActivityKind.Client, get.Kind);
        Assert.Equal("shared", put.GetTagItem("cacheweave.tier"));
        Assert.Equal("default", put.GetTagItem("cacheweave.backend"));
        Assert.Equal("put", put.GetTagItem("cacheweave.operation"));
        Assert.All(gets.Where(s => s != get), s => Assert.Equal(miss.SpanId, s.ParentSpanId));
        Assert.Equal(miss.SpanId, put.ParentSpanId);
    }

    [Fact]
    public void A_background_refresh_span_starts_a_trace_of_its_own_linked_to_the_call_that_started_it()
    {
        var service = "refresh-" + Guid.NewGuid().ToString("N");
        var telemetry = new MethodTelemetry(service, "Load", "default");
        using var caller = new Activity("caller").Start();

        var run = telemetry.StartBackgroundRefresh("cw:key");

        Assert.Same(caller, Activity.Current);
        var span = run.Span!;
        Assert.Equal("cacheweave.refresh", span.OperationName);
        Assert.NotEqual(caller.TraceId, span.TraceId);
        Assert.Equal(default, span.ParentSpanId);
        var link = Assert.Single(span.Links);
        Assert.Equal(caller.SpanId, link.Context.SpanId);
        run.Complete(new TimeoutException());
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Contains(span, _stopped);
    }

    private static Activity StartTrace() => new Activity("test").Start();

    private List<Activity> SpansIn(Activity trace) => [.. _stopped.Where(s => s.TraceId == trace.TraceId)];
}
