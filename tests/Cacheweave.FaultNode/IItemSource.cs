using Cacheweave.Interception;

namespace Cacheweave.FaultNode;

/// <summary>The tagged service of the tag tests: the current version of an item, cached under the tag <c>item:{id}</c>.</summary>
public interface IItemSource
{
    [Cached(Tags = new[] { "item:{id}" })]
    Task<long> GetAsync(int id);
}
