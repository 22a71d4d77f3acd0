using Cacheweave.Interception;

namespace Cacheweave.Redis.Tests.Tags;

/// <summary>Many entries under one tag.</summary>
public interface ITenantItems
{
    [Cached(Tags = new[] { "tenant:{tenant}" })]
    Task<long> GetAsync(int tenant, int id);
}
