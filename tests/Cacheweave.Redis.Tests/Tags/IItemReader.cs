using Cacheweave.Interception;

namespace Cacheweave.Redis.Tests.Tags;

/// <summary>The test process's own tagged service: same tag template as the node's <c>IItemSource</c>, over the same truth files.</summary>
public interface IItemReader
{
    [Cached(Tags = new[] { "item:{id}" })]
    Task<long> GetAsync(int id);
}
