using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Cacheweave.Benchmarks.Comparison;

/// <summary>
/// The calling thread's CPU time on Linux (so that time the thread spends descheduled while other processes run is
/// not counted), wall time elsewhere.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ThreadCpuTimeId = 3; // CLOCK_THREAD_CPUTIME_ID

    internal static bool MeasuresCpu { get; } = OperatingSystem.IsLinux();

    internal static long NowNanoseconds()
    {
        if (MeasuresCpu && ClockGetTime(ThreadCpuTimeId, out var time) == 0)
        {
            return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
        }

        return (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
