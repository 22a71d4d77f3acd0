namespace Cacheweave.Tests.Infrastructure;

/// <summary>Measures what a call allocates on the calling thread.</summary>
public static class Allocations
{
    /// <summary>
    /// The fewest bytes per call over <paramref name="rounds"/> rounds of <paramref name="calls"/> calls each. An
    /// allocation made on every call shows in every round; a one-off one (the runtime's, or a process-wide memo
    /// rotation that the calling thread happens to perform while other tests run) shows in one round only.
    /// </summary>
    public static double MinBytesPerCall(Action call, int calls, int rounds = 3)
    {
        var fewest = double.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < calls; i++)
            {
                call();
            }

            fewest = Math.Min(fewest, (GC.GetAllocatedBytesForCurrentThread() - before) / (double)calls);
        }

        return fewest;
    }
}
