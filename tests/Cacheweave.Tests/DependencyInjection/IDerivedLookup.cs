using Cacheweave.Interception;

namespace Cacheweave.Tests.DependencyInjection;

public interface IDerivedLookup : IBaseLookup
{
    [Cached]
    Task<string> DerivedAsync(int id);
}
