using System.Numerics;

namespace Cacheweave.Backends.Counters;

/// <summary>
/// A number per thread for picking a stripe of a striped structure. Threads are numbered in the order they first
/// ask, so any two threads that start near each other get neighbouring numbers and therefore different stripes;
/// managed thread ids, by contrast, can collide modulo a small stripe count (a pool thread with id 9 and one with id
/// 17 share every stripe of eight, and would fight over one cache line on every hit).
/// </summary>
internal static class ThreadStripe
{
    [ThreadStatic]
    private static int t_number;

    private static int s_lastNumber;

    /// <summary>This thread's number, never zero.</summary>
    internal static int Number
    {
        get
        {
            var number = t_number;
            return number != 0 ? number : Assign();
        }
    }

    /// <summary>
    /// How many stripes a striped structure should have: <paramref name="perProcessor"/> per processor, a power of two
    /// (so that <c>Number &amp; (count - 1)</c> picks one), at least <paramref name="perProcessor"/> and at most 64.
    /// </summary>
    internal static int CountFor(int perProcessor) =>
        (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount * perProcessor, perProcessor, 64));

    private static int Assign()
    {
        var number = Interlocked.Increment(ref s_lastNumber);
        if (number == 0)
        {
            number = Interlocked.Increment(ref s_lastNumber);
        }

        t_number = number;
        return number;
    }
}
