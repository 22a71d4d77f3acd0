using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cacheweave.Diagnostics;

/// <summary>
/// What one cached method reports beyond its outcome counters: the duration of each run of the method (a histogram,
/// when the container has Cacheweave's meter) and the spans of misses, runs and background refreshes. A hit reports
/// nothing here: it is counted by the plan's <see cref="CallOutcomeCounters"/> alone.
/// </summary>
internal sealed class MethodTelemetry
{
    private const string MissSpan = "cacheweave.miss";
    private const string RunSpan = "cacheweave.run";
    private const string RefreshSpan = "cacheweave.refresh";

    private readonly Histogram<double>? _duration;
    private readonly string _missDisplayName;
    private readonly string _runDisplayName;
    private readonly string _refreshDisplayName;

    /// <param name="service">The proxied interface, as tagged.</param>
    /// <param name="method">The method's name, as tagged.</param>
    /// <param name="backend">The backend's name, as tagged.</param>
    /// <param name="duration">The histogram of run durations; <see langword="null"/> records none (no meter in the container).</param>
    public MethodTelemetry(string service, string method, string backend, Histogram<double>? duration = null)
    {
        Service = service;
        Method = method;
        Backend = backend;
        _duration = duration;
        var name = $"{service}.{method}";
        _missDisplayName = $"{MissSpan} {name}";
        _runDisplayName = $"{RunSpan} {name}";
        _refreshDisplayName = $"{RefreshSpan} {name}";
    }

    /// <summary>The <c>cacheweave.service</c> tag.</summary>
    public string Service { get; }

    /// <summary>The <c>cacheweave.method</c> tag.</summary>
    public string Method { get; }

    /// <summary>The <c>cacheweave.backend</c> tag.</summary>
    public string Backend { get; }

    /// <summary>
    /// Starts the span of a miss: from the moment a caller found no value until it has one (waiting for another
    /// caller of the key, running the method, storing the result). <see langword="null"/> when nobody listens.
    /// </summary>
    public Activity? StartMiss(string key) => Start(MissSpan, _missDisplayName, key, ActivityKind.Internal, default);

    /// <summary>Starts timing a run of the method that a caller waits for (a miss); complete it with <see cref="MethodRun.Complete"/>.</summary>
    public MethodRun StartRun(string key) =>
        new(this, Stopwatch.GetTimestamp(), Start(RunSpan, _runDisplayName, key, ActivityKind.Internal, default));

    /// <summary>
    /// Starts timing a run of the method that refreshes <paramref name="key"/> in the background (eager refresh, or a
    /// run left to finish after a soft timeout). Its span is a root of its own trace, linked to the span of the call
    /// that started it, because it outlives that call. Complete it with <see cref="MethodRun.Complete"/>, from the
    /// background run.
    /// </summary>
    public MethodRun StartBackgroundRefresh(string key)
    {
        var starter = Activity.Current;
        if (starter is null)
        {
            return new(this, Stopwatch.GetTimestamp(), Start(RefreshSpan, _refreshDisplayName, key, ActivityKind.Internal, default));
        }

        // Detach from the caller's trace for the span's creation only.
        Activity.Current = null;
        try
        {
            return new(this, Stopwatch.GetTimestamp(), Start(RefreshSpan, _refreshDisplayName, key, ActivityKind.Internal, starter.Context));
        }
        finally
        {
            Activity.Current = starter;
        }
    }

    /// <summary>Records the end of a run started by <see cref="StartRun"/> or <see cref="StartBackgroundRefresh"/>.</summary>
    /// <returns>How long the method ran.</returns>
    internal TimeSpan Complete(long startedAt, Activity? span, Exception? error)
    {
        var elapsed = Stopwatch.GetElapsedTime(startedAt);
        if (_duration is { Enabled: true } duration)
        {
            var tags = new TagList
            {
                { TelemetryTags.Service, Service },
                { TelemetryTags.Method, Method },
                { TelemetryTags.Backend, Backend },
            };
            if (error is not null)
            {
                tags.Add(TelemetryTags.ErrorType, error.GetType().FullName);
            }

            duration.Record(elapsed.TotalSeconds, tags);
        }

        if (span is not null)
        {
            if (error is not null)
            {
                span.SetStatus(ActivityStatusCode.Error, error.Message);
                span.SetTag(TelemetryTags.ErrorType, error.GetType().FullName);
            }

            span.Dispose();
        }

        return elapsed;
    }

    private Activity? Start(string name, string displayName, string key, ActivityKind kind, ActivityContext linkTo)
    {
        var source = CacheweaveDiagnostics.ActivitySource;
        if (!source.HasListeners())
        {
            return null;
        }

        var activity = linkTo == default
            ? source.StartActivity(name, kind)
            : source.StartActivity(name, kind, parentContext: default, links: [new ActivityLink(linkTo)]);
        if (activity is null)
        {
            return null;
        }

        activity.DisplayName = displayName;
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(TelemetryTags.Service, Service);
            activity.SetTag(TelemetryTags.Method, Method);
            activity.SetTag(TelemetryTags.Backend, Backend);
            activity.SetTag(TelemetryTags.Key, key);
        }

        return activity;
    }
}
