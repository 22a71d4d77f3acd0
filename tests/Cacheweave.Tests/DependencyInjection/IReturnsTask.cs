using Cacheweave.Interception;

namespace Cacheweave.Tests.DependencyInjection;

public interface IReturnsTask
{
    [Cached]
    Task SaveAsync(int id);
}
