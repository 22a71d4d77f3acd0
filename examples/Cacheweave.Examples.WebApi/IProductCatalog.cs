using Cacheweave.Interception;

namespace Cacheweave.Examples.WebApi;

public interface IProductCatalog
{
    /// <summary>Cached for a minute; "no such product" (null) is cached too.</summary>
    [Cached(TtlSeconds = 60)]
    Task<Product?> GetProductAsync(int id, CancellationToken cancellationToken = default);
}
