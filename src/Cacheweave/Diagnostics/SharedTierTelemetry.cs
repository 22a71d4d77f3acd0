using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cacheweave.Diagnostics;

/// <summary>
/// What a shared tier (a <see cref="Resilience.ResilientCacheBackend"/>) reports of each call it makes: a span, and the
/// call's duration in the <c>cacheweave.backend.operation.duration</c> histogram once the tier belongs to a container
/// with Cacheweave's meter. A call costs a network round trip, so this is measured per call; an in-memory tier is
/// measured only through its counters (see <see cref="CacheweaveMetrics"/>).
/// </summary>
internal sealed class SharedTierTelemetry
{
    private readonly Histogram<double>? _duration;

    /// <param name="backend">The backend's name, as tagged.</param>
    /// <param name="duration">The histogram of call durations; <see langword="null"/> records none.</param>
    public SharedTierTelemetry(string backend, Histogram<double>? duration = null)
    {
        Backend = backend;
        _duration = duration;
    }

    /// <summary>The <c>cacheweave.backend</c> tag.</summary>
    public string Backend { get; }

    /// <summary>Whether anything would be recorded: a listened histogram or a listened activity source.</summary>
    public bool IsObserved => _duration is { Enabled: true } || CacheweaveDiagnostics.ActivitySource.HasListeners();

    /// <summary>Starts a call of <paramref name="operation"/> (<c>get</c>, <c>put</c>, <c>remove</c>, <c>clear</c>, <c>count</c>).</summary>
    public (long StartedAt, Activity? Span) Start(string operation, string? key)
    {
        var span = CacheweaveDiagnostics.ActivitySource.StartActivity(SpanNameOf(operation), ActivityKind.Client);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(TelemetryTags.Backend, Backend);
            span.SetTag(TelemetryTags.Tier, TelemetryTags.SharedTier);
            span.SetTag(TelemetryTags.Operation, operation);
            if (key is not null)
            {
                span.SetTag(TelemetryTags.Key, key);
            }
        }

        return (Stopwatch.GetTimestamp(), span);
    }

    /// <summary>Ends a call started by <see cref="Start"/>.</summary>
    /// <param name="operation">The operation, as given to <see cref="Start"/>.</param>
    /// <param name="startedAt">The time stamp <see cref="Start"/> returned.</param>
    /// <param name="span">The span <see cref="Start"/> returned.</param>
    /// <param name="errorType">Why the call got no answer (the <c>error.type</c> tag), or <see langword="null"/> when it got one.</param>
    public void Complete(string operation, long startedAt, Activity? span, string? errorType)
    {
        var elapsed = Stopwatch.GetElapsedTime(startedAt);
        if (_duration is { Enabled: true } duration)
        {
            var tags = new TagList
            {
                { TelemetryTags.Backend, Backend },
                { TelemetryTags.Tier, TelemetryTags.SharedTier },
                { TelemetryTags.Operation, operation },
            };
            if (errorType is not null)
            {
                tags.Add(TelemetryTags.ErrorType, errorType);
            }

            duration.Record(elapsed.TotalSeconds, tags);
        }

        if (span is not null)
        {
            if (errorType is not null)
            {
                span.SetStatus(ActivityStatusCode.Error);
                span.SetTag(TelemetryTags.ErrorType, errorType);
            }

            span.Dispose();
        }
    }

    private static string SpanNameOf(string operation) => operation switch
    {
        "get" => "cacheweave.shared get",
        "put" => "cacheweave.shared put",
        "remove" => "cacheweave.shared remove",
        "clear" => "cacheweave.shared clear",
        "count" => "cacheweave.shared count",
        _ => "cacheweave.shared " + operation,
    };
}
