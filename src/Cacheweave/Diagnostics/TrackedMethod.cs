namespace Cacheweave.Diagnostics;

/// <summary>A cached method <see cref="CacheweaveMetrics"/> reports: its outcome counters and its tags.</summary>
internal sealed record TrackedMethod(CallOutcomeCounters Outcomes, MethodTelemetry Telemetry);
