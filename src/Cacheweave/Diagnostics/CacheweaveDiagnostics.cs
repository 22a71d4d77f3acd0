using System.Diagnostics;

namespace Cacheweave.Diagnostics;

/// <summary>
/// The names under which Cacheweave reports itself, for wiring exporters:
/// <c>metrics.AddMeter(CacheweaveDiagnostics.MeterName)</c>, <c>tracing.AddSource(CacheweaveDiagnostics.ActivitySourceName)</c>.
/// </summary>
/// <remarks>
/// The instruments, spans and their tags are listed in <c>docs/observability.md</c>. The meter is created through the
/// container's <see cref="System.Diagnostics.Metrics.IMeterFactory"/> when one is registered (ASP.NET Core and the
/// generic host register one), so that each container has its own meter.
/// </remarks>
public static class CacheweaveDiagnostics
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> of every Cacheweave instrument: <c>Cacheweave</c>.</summary>
    public const string MeterName = "Cacheweave";

    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> of every Cacheweave span: <c>Cacheweave</c>.</summary>
    public const string ActivitySourceName = "Cacheweave";

    /// <summary>The version reported with the meter and the activity source: the assembly's version.</summary>
    internal static readonly string? Version = typeof(CacheweaveDiagnostics).Assembly.GetName().Version?.ToString();

    /// <summary>
    /// The source of Cacheweave's spans. Activity sources are process-wide by design (listeners subscribe by name), so
    /// there is one, unlike the meter.
    /// </summary>
    internal static readonly ActivitySource ActivitySource = new(ActivitySourceName, Version);
}
