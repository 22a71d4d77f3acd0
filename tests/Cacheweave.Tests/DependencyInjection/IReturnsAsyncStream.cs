using Cacheweave.Interception;

namespace Cacheweave.Tests.DependencyInjection;

public interface IReturnsAsyncStream
{
    [Cached]
    IAsyncEnumerable<int> StreamAsync(int id);
}
