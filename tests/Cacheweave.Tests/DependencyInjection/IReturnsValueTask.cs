using Cacheweave.Interception;

namespace Cacheweave.Tests.DependencyInjection;

public interface IReturnsValueTask
{
    [Cached]
    ValueTask SaveAsync(int id);
}
