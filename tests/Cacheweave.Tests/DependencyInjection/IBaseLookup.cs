using Cacheweave.Interception;

namespace Cacheweave.Tests.DependencyInjection;

public interface IBaseLookup
{
    [Cached]
    Task<string> BaseAsync(int id);
}
