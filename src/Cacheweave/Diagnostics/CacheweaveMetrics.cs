using System.Diagnostics.Metrics;
using Cacheweave.Backends;
using Cacheweave.Interception;
using Cacheweave.Resilience;
using Cacheweave.Tiers;

namespace Cacheweave.Diagnostics;

/// <summary>
/// The <c>Cacheweave</c> meter of one container and its instruments. Cached methods and backends are tracked as the
/// container creates them. What happens on every call (outcomes, in-memory lookups, evictions, entries) is read from
/// counters the code keeps anyway when the meter is collected, so that a hit costs one striped increment and
/// allocates nothing whether or not anyone listens; what happens rarely or slowly (a run of the method, a call to the
/// shared tier) is recorded as it happens.
/// </summary>
internal sealed class CacheweaveMetrics : IDisposable
{
    private static readonly double[] MethodDurationBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
    private static readonly double[] OperationDurationBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
    private static readonly CacheCallOutcome[] Outcomes = Enum.GetValues<CacheCallOutcome>();

    private readonly Lock _gate = new();
    private readonly bool _ownsMeter;
    private TrackedMethod[] _methods = [];
    private TrackedMemoryTier[] _memoryTiers = [];
    private TrackedSharedTier[] _sharedTiers = [];

    /// <summary>Creates the meter through <paramref name="meterFactory"/>, or on its own when there is none.</summary>
    public CacheweaveMetrics(IMeterFactory? meterFactory)
    {
        var options = new MeterOptions(CacheweaveDiagnostics.MeterName) { Version = CacheweaveDiagnostics.Version };
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(options) ?? new Meter(options);

        Meter.CreateObservableCounter("cacheweave.calls", ObserveCalls, "{call}",
            "Calls of cached methods, by how they were answered (cacheweave.outcome).");
        MethodDuration = Meter.CreateHistogram("cacheweave.method.duration", "s",
            "How long the cached method ran when the cache could not answer (a miss) or refreshed an entry in the background.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MethodDurationBuckets });
        OperationDuration = Meter.CreateHistogram("cacheweave.backend.operation.duration", "s",
            "Duration of the calls a shared tier made (get, put, remove, clear, count); error.type is set when the call got no answer.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = OperationDurationBuckets });
        Meter.CreateObservableCounter("cacheweave.backend.lookups", ObserveLookups, "{lookup}",
            "Lookups in an in-memory backend or local tier, by result (cacheweave.lookup.result: hit or miss).");
        Meter.CreateObservableCounter("cacheweave.backend.evictions", () => ObserveMemory(static s => s.Evictions), "{entry}",
            "Entries an in-memory backend removed to make room.");
        Meter.CreateObservableCounter("cacheweave.backend.expirations", () => ObserveMemory(static s => s.Expirations), "{entry}",
            "Entries an in-memory backend dropped because their time to live ran out.");
        Meter.CreateObservableUpDownCounter("cacheweave.backend.entries", () => ObserveMemory(static s => s.Count), "{entry}",
            "Entries an in-memory backend holds now.");
        Meter.CreateObservableUpDownCounter("cacheweave.backend.size", () => ObserveMemory(static s => s.Bytes), "By",
            "Bytes an in-memory backend with a byte budget holds now (the sum of its entries' sizes; 0 without a budget).");
        Meter.CreateObservableGauge("cacheweave.backend.circuit.state", ObserveCircuits, "{state}",
            "1 for the state a shared tier's circuit is in (cacheweave.circuit.state), 0 for the others; one circuit for reads, one for writes (cacheweave.circuit).");
    }

    /// <summary>The container's <c>Cacheweave</c> meter.</summary>
    public Meter Meter { get; }

    /// <summary><c>cacheweave.method.duration</c>.</summary>
    public Histogram<double> MethodDuration { get; }

    /// <summary><c>cacheweave.backend.operation.duration</c>.</summary>
    public Histogram<double> OperationDuration { get; }

    /// <summary>Reports <paramref name="plan"/> from now on (and its backend, when it is not tracked yet).</summary>
    /// <param name="plan">A cached method's plan, before its first call.</param>
    /// <param name="backendName">The name of the plan's backend (<see langword="null"/>: the default one).</param>
    public void Track(CachedMethodPlan plan, string? backendName)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var name = backendName ?? TelemetryTags.DefaultBackend;
        var telemetry = new MethodTelemetry(plan.Telemetry.Service, plan.Telemetry.Method, name, MethodDuration);
        plan.Telemetry = telemetry;
        lock (_gate)
        {
            _methods = [.. _methods, new TrackedMethod(plan.Outcomes, telemetry)];
        }

        TrackBackend(name, plan.Backend);
    }

    /// <summary>
    /// Reports <paramref name="backend"/> under <paramref name="name"/>: an in-memory backend as the local tier, a
    /// <see cref="ResilientCacheBackend"/> as the shared tier, a <see cref="TwoLevelBackend"/> as both. A backend already
    /// tracked, or of another kind, is left alone.
    /// </summary>
    public void TrackBackend(string name, ICacheBackend backend)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(backend);
        switch (backend)
        {
            case InMemoryBackend memory:
                TrackMemory(name, memory);
                break;
            case ResilientCacheBackend shared:
                TrackShared(name, shared);
                break;
            case TwoLevelBackend twoLevel:
                if (twoLevel.LocalTier is InMemoryBackend local)
                {
                    TrackMemory(name, local);
                }

                TrackShared(name, twoLevel.SharedTier);
                break;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    private void TrackMemory(string name, InMemoryBackend backend)
    {
        lock (_gate)
        {
            if (!Array.Exists(_memoryTiers, t => ReferenceEquals(t.Backend, backend)))
            {
                _memoryTiers = [.. _memoryTiers, new TrackedMemoryTier(name, backend)];
            }
        }
    }

    private void TrackShared(string name, ResilientCacheBackend backend)
    {
        lock (_gate)
        {
            if (Array.Exists(_sharedTiers, t => ReferenceEquals(t.Backend, backend)))
            {
                return;
            }

            _sharedTiers = [.. _sharedTiers, new TrackedSharedTier(name, backend)];
        }

        backend.Telemetry = new SharedTierTelemetry(name, OperationDuration);
    }

    private List<Measurement<long>> ObserveCalls()
    {
        // Plans that share their tags (overloads, a generic method's instantiations) are summed: an observable
        // instrument reporting one tag set twice in a collection would have all but one value dropped.
        var methods = Volatile.Read(ref _methods);
        var totals = new Dictionary<(string Service, string Method, string Backend, CacheCallOutcome Outcome), long>(methods.Length * 2);
        foreach (var method in methods)
        {
            foreach (var outcome in Outcomes)
            {
                var count = method.Outcomes.CountOf(outcome);
                if (count != 0)
                {
                    var tags = (method.Telemetry.Service, method.Telemetry.Method, method.Telemetry.Backend, outcome);
                    totals[tags] = totals.GetValueOrDefault(tags) + count;
                }
            }
        }

        // Counts only grow: an outcome not seen yet is left out rather than reported as a row of zeros.
        var measurements = new List<Measurement<long>>(totals.Count);
        foreach (var ((service, name, backend, outcome), count) in totals)
        {
            measurements.Add(new Measurement<long>(count,
                new(TelemetryTags.Service, service),
                new(TelemetryTags.Method, name),
                new(TelemetryTags.Backend, backend),
                new(TelemetryTags.Outcome, TelemetryTags.NameOf(outcome))));
        }

        return measurements;
    }

    private List<Measurement<long>> ObserveLookups()
    {
        var tiers = Volatile.Read(ref _memoryTiers);
        var measurements = new List<Measurement<long>>(tiers.Length * 2);
        foreach (var tier in tiers)
        {
            var statistics = tier.Backend.Statistics;
            measurements.Add(new Measurement<long>(statistics.Hits, tier.TagsWith(TelemetryTags.LookupResult, "hit")));
            measurements.Add(new Measurement<long>(statistics.Misses, tier.TagsWith(TelemetryTags.LookupResult, "miss")));
        }

        return measurements;
    }

    private List<Measurement<long>> ObserveMemory(Func<CacheStatistics, long> read)
    {
        var tiers = Volatile.Read(ref _memoryTiers);
        var measurements = new List<Measurement<long>>(tiers.Length);
        foreach (var tier in tiers)
        {
            measurements.Add(new Measurement<long>(read(tier.Backend.Statistics), tier.Tags));
        }

        return measurements;
    }

    private List<Measurement<int>> ObserveCircuits()
    {
        var tiers = Volatile.Read(ref _sharedTiers);
        var measurements = new List<Measurement<int>>(tiers.Length * 6);
        foreach (var tier in tiers)
        {
            AddCircuit(measurements, tier.Name, "read", tier.Backend.ReadCircuit.State);
            AddCircuit(measurements, tier.Name, "write", tier.Backend.WriteCircuit.State);
        }

        return measurements;
    }

    private static void AddCircuit(List<Measurement<int>> measurements, string backend, string circuit, CircuitState current)
    {
        foreach (var state in (ReadOnlySpan<CircuitState>)[CircuitState.Closed, CircuitState.Open, CircuitState.HalfOpen])
        {
            measurements.Add(new Measurement<int>(state == current ? 1 : 0,
                new(TelemetryTags.Backend, backend),
                new(TelemetryTags.Tier, TelemetryTags.SharedTier),
                new(TelemetryTags.Circuit, circuit),
                new(TelemetryTags.CircuitState, TelemetryTags.NameOf(state))));
        }
    }
}
