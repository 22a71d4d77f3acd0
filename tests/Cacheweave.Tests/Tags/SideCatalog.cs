namespace Cacheweave.Tests.Tags;

public sealed class SideCatalog : ISideCatalog
{
    private int _runs;

    public Task<string> GetAsync(int userId) => Task.FromResult($"side {userId} #{Interlocked.Increment(ref _runs)}");
}
