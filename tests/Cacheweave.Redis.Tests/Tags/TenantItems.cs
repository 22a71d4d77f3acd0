namespace Cacheweave.Redis.Tests.Tags;

public sealed class TenantItems : ITenantItems
{
    private int _runs;

    public int Runs => Volatile.Read(ref _runs);

    public Task<long> GetAsync(int tenant, int id)
    {
        Interlocked.Increment(ref _runs);
        return Task.FromResult((tenant * 1_000_000L) + id);
    }
}
