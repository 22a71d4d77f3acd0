namespace Cacheweave.Examples.WebApi;

/// <summary>Stands for a database: every lookup takes 100 ms.</summary>
public sealed class SlowProductCatalog(ExecutionCounter counter) : IProductCatalog
{
    public async Task<Product?> GetProductAsync(int id, CancellationToken cancellationToken = default)
    {
        counter.Increment();
        await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        return id is > 0 and <= 100 ? new Product(id, $"Product {id}", 9.99m + id) : null;
    }
}
