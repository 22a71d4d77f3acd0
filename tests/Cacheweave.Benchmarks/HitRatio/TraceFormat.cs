namespace Cacheweave.Benchmarks.HitRatio;

/// <summary>How a trace file lists its requests.</summary>
public enum TraceFormat
{
    /// <summary>ARC format: each line <c>start count ignored ignored</c> requests blocks <c>start</c> to <c>start + count - 1</c>.</summary>
    Arc,

    /// <summary>LIRS format: one block number per line; other lines (blank, <c>*</c>) are skipped.</summary>
    Lirs,
}
