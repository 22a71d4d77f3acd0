namespace Cacheweave.Tests.Tags;

/// <summary>
/// The real catalog: every read returns the current "revision" of what it reads, plus a run counter, so a test can tell
/// a cached answer from a fresh one. Writes bump revisions; <see cref="Fail"/> makes them throw (or fault) instead.
/// </summary>
public sealed class Catalog : ICatalog
{
    private int _runs;

    public int Runs => Volatile.Read(ref _runs);

    public bool Fail { get; set; }

    /// <summary>When set, <see cref="SaveUserAsync"/> waits for it before completing.</summary>
    public Task? SaveGate { get; set; }

    public Task<string> GetUserAsync(int userId) => Task.FromResult(Run($"user {userId}"));

    public ValueTask<string> SearchAsync(int userId, OrderFilter filter) => new(Run($"search {userId} {filter.TenantId}"));

    public string GetTenant(int tenantId) => Run($"tenant {tenantId}");

    public Task<string> GetUntaggedAsync(int userId) => Task.FromResult(Run($"untagged {userId}"));

    public Task<string> GetVersionedAsync(int userId) => Task.FromResult(Run($"versioned {userId}"));

    public async Task SaveUserAsync(CatalogUser user)
    {
        await (SaveGate ?? Task.CompletedTask);
        await Task.Yield();
        ThrowIfFailing();
    }

    public void RenameTenant(int tenantId, string name) => ThrowIfFailing();

    public int RenameTenantCounting(int tenantId, string name)
    {
        ThrowIfFailing();
        return tenantId;
    }

    public async ValueTask TouchUserAsync(int userId)
    {
        await Task.Yield();
        ThrowIfFailing();
    }

    public async Task<int> UpdateUserAsync(int userId)
    {
        await Task.Yield();
        ThrowIfFailing();
        return userId;
    }

    public async ValueTask<int> PatchUserAsync(int userId)
    {
        await Task.Yield();
        ThrowIfFailing();
        return userId;
    }

    public Task ResetUntaggedAsync(string reason, int userId)
    {
        ThrowIfFailing();
        return Task.CompletedTask;
    }

    public Task ResetUserAsync(int userId)
    {
        ThrowIfFailing();
        return Task.CompletedTask;
    }

    private string Run(string what) => $"{what} #{Interlocked.Increment(ref _runs)}";

    private void ThrowIfFailing()
    {
        if (Fail)
        {
            throw new InvalidOperationException("the write failed");
        }
    }
}
