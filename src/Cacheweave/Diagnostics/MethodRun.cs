using System.Diagnostics;

namespace Cacheweave.Diagnostics;

/// <summary>
/// One timed run of a cached method (see <see cref="MethodTelemetry.StartRun"/> and
/// <see cref="MethodTelemetry.StartBackgroundRefresh"/>). A struct, so that timing a run allocates nothing when nobody listens.
/// </summary>
internal readonly struct MethodRun
{
    private readonly MethodTelemetry _telemetry;
    private readonly long _startedAt;
    private readonly Activity? _span;

    internal MethodRun(MethodTelemetry telemetry, long startedAt, Activity? span)
    {
        _telemetry = telemetry;
        _startedAt = startedAt;
        _span = span;
    }

    /// <summary>The run's span, or <see langword="null"/> when nobody listens.</summary>
    public Activity? Span => _span;

    /// <summary>Records the run's duration (tagged with <c>error.type</c> when <paramref name="error"/> is set) and ends its span. Call once.</summary>
    /// <returns>How long the method ran.</returns>
    public TimeSpan Complete(Exception? error = null) => _telemetry.Complete(_startedAt, _span, error);
}
