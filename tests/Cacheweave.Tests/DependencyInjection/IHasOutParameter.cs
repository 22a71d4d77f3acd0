using Cacheweave.Interception;

namespace Cacheweave.Tests.DependencyInjection;

public interface IHasOutParameter
{
    [Cached]
    bool TryGet(int id, out string value);
}
