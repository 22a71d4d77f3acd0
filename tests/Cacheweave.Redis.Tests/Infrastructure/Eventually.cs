using System.Diagnostics;

namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a generous deadline passes; the deadline is a correctness bound, not a timing target.</summary>
public static class Eventually
{
    public static async Task<TimeSpan> HoldsAsync(Func<Task<bool>> condition, TimeSpan within, string because)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > within)
            {
                Assert.Fail($"Not within {within.TotalSeconds:0.#} s: {because}");
            }

            await Task.Delay(5);
        }

        return watch.Elapsed;
    }
}
