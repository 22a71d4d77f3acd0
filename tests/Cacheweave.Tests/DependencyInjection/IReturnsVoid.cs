using Cacheweave.Interception;

namespace Cacheweave.Tests.DependencyInjection;

public interface IReturnsVoid
{
    [Cached]
    void Save(int id);
}
