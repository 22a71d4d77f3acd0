using Cacheweave.Interception;

namespace Cacheweave.Tests.DependencyInjection;

/// <summary>Marks a class method, which the proxy of the interface never sees.</summary>
public sealed class CachedOnClassService : IPlainService
{
    [Cached]
    public Task<int> GetAsync(int id) => Task.FromResult(id);
}
