using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Cacheweave.Backends.Expiry;

/// <summary>
/// A cheap upper bound of <see cref="Stopwatch.GetTimestamp"/>, for the read path of entries with a time to live: an
/// entry whose expiry lies beyond the bound is certainly live, so most hits need not read the precise clock (on a
/// virtual machine a <see cref="Stopwatch.GetTimestamp"/> costs 35-50 ns, as much as the rest of a hit).
/// </summary>
/// <remarks>
/// The bound is <see cref="Environment.TickCount64"/> (millisecond ticks of a coarse clock, a fraction of the cost)
/// mapped onto the precise clock through an offset measured at most a second ago, plus a margin of
/// <see cref="MarginMilliseconds"/>. The two clocks can disagree by the coarse clock's resolution (1-16 ms, depending on
/// the platform) and drift apart by a few parts per million between calibrations, far less than the margin. An entry
/// that expires within the margin is checked against the precise clock, so an expired entry is never returned. One
/// known limit: where the precise clock counts through a system sleep and the coarse one does not, the bound can lag by
/// the length of the sleep until the next calibration, at most a second of coarse time after waking.
/// </remarks>
internal static class CoarseTimestamp
{
    /// <summary>How far ahead of the precise clock the bound is placed.</summary>
    internal const long MarginMilliseconds = 100;

    private const long CalibrationMilliseconds = 1000;
    private static readonly long TicksPerMillisecond = Math.Max(1, Stopwatch.Frequency / 1000);

    // The precise timestamp minus the coarse ticks scaled to timestamp ticks, as of the coarse tick s_calibratedAt.
    // Written offset first, read calibration time first: a reader that pairs a new time with an older offset still
    // gets an offset at most two calibrations old.
    private static long s_offset;
    private static long s_calibratedAt;

    static CoarseTimestamp() => Calibrate(Environment.TickCount64);

    /// <summary>A timestamp no earlier than <see cref="Stopwatch.GetTimestamp"/> now.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long UpperBound()
    {
        var coarse = Environment.TickCount64;
        if (coarse - Volatile.Read(ref s_calibratedAt) > CalibrationMilliseconds)
        {
            return Calibrate(coarse);
        }

        return ((coarse + MarginMilliseconds) * TicksPerMillisecond) + Volatile.Read(ref s_offset);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Calibrate(long coarse)
    {
        // The coarse tick is read first, so a coarse clock that lags only pushes the offset (and the bound) up.
        var precise = Stopwatch.GetTimestamp();
        Volatile.Write(ref s_offset, precise - (coarse * TicksPerMillisecond));
        Volatile.Write(ref s_calibratedAt, coarse);
        return precise + (MarginMilliseconds * TicksPerMillisecond);
    }
}
