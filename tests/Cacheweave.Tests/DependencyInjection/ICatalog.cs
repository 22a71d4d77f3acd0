using Cacheweave.Interception;

namespace Cacheweave.Tests.DependencyInjection;

/// <summary>[Cached] on the interface: methods that return a value are cached, the others pass through.</summary>
[Cached]
public interface ICatalog
{
    Task<string> NameAsync(int id);

    Task SaveAsync(int id);

    void Touch();
}
