using Cacheweave.Interception;

namespace Cacheweave.Tests.DependencyInjection;

public interface IUsesUnknownBackend
{
    [Cached(Backend = "nowhere")]
    Task<int> GetAsync(int id);
}
