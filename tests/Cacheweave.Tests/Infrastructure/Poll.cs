namespace Cacheweave.Tests.Infrastructure;

/// <summary>
/// Waits for something other threads do (a background run finishing, a caller's thread returning), polling every
/// 10 ms for up to 30 s. Never used to wait for cache time: that is a <c>FakeTimeProvider</c>'s job.
/// </summary>
internal static class Poll
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Returns once <paramref name="condition"/> holds; fails the test if it does not within 30 s.</summary>
    internal static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true within 30 s.");
            await Task.Delay(10);
        }
    }

    /// <summary>Returns once <paramref name="condition"/> completes with true; fails the test if it does not within 30 s.</summary>
    internal static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true within 30 s.");
            await Task.Delay(10);
        }
    }
}
