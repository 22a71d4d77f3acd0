using Cacheweave.Interception;

namespace Cacheweave.Tests.Tags;

/// <summary>A service whose cached methods carry tags derived from their arguments, and whose writes drop them.</summary>
public interface ICatalog
{
    [Cached(Tags = new[] { "user:{userId}" })]
    Task<string> GetUserAsync(int userId);

    [Cached(Tags = new[] { "user:{userId}", "tenant:{filter.TenantId}" })]
    ValueTask<string> SearchAsync(int userId, OrderFilter filter);

    [Cached(Tags = new[] { "tenant:{tenantId}" })]
    string GetTenant(int tenantId);

    [Cached]
    Task<string> GetUntaggedAsync(int userId);

    [Cached(Tags = new[] { "user:{userId}" }, Versioned = true)]
    Task<string> GetVersionedAsync(int userId);

    [InvalidatesCache(Tags = new[] { "user:{user.Id}" })]
    Task SaveUserAsync(CatalogUser user);

    [InvalidatesCache(Tags = new[] { "tenant:{tenantId}" })]
    void RenameTenant(int tenantId, string name);

    [InvalidatesCache(Tags = new[] { "tenant:{tenantId}" })]
    int RenameTenantCounting(int tenantId, string name);

    [InvalidatesCache(Tags = new[] { "user:{userId}" })]
    ValueTask TouchUserAsync(int userId);

    [InvalidatesCache(Tags = new[] { "user:{userId}" })]
    Task<int> UpdateUserAsync(int userId);

    [InvalidatesCache(Tags = new[] { "user:{userId}" })]
    ValueTask<int> PatchUserAsync(int userId);

    [InvalidatesCache(Method = nameof(GetUntaggedAsync))]
    Task ResetUntaggedAsync(string reason, int userId);

    [InvalidatesCache(Method = nameof(GetUserAsync))]
    Task ResetUserAsync(int userId);
}
