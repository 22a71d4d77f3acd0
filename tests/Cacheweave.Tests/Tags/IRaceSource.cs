using Cacheweave.Interception;

namespace Cacheweave.Tests.Tags;

/// <summary>A tagged read of a value that a writer keeps changing.</summary>
public interface IRaceSource
{
    [Cached(Tags = new[] { "item:{id}" })]
    Task<long> GetAsync(int id);

    [Cached(Tags = new[] { "tenant:{tenant}" })]
    int Read(int tenant, int id);

    [Cached]
    int ReadUntagged(int tenant, int id);
}
