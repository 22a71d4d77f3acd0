using Cacheweave.Interception;

namespace Cacheweave.Tests.DependencyInjection;

public interface IUsesNamedBackend
{
    [Cached(Backend = "fast", KeyPrefix = "numbers")]
    Task<int> GetAsync(int id);
}
