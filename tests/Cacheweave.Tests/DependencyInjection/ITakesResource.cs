using Cacheweave.Interception;

namespace Cacheweave.Tests.DependencyInjection;

public interface ITakesResource
{
    [Cached]
    Task<int> GetAsync(IDisposable resource);
}
