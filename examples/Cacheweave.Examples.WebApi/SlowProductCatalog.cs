namespace Cacheweave.Examples.WebApi;

/// <summary>Stands for a database: every lookup takes 100 ms, and fails while the <see cref="DependencySwitch"/> says so.</summary>
public sealed class SlowProductCatalog(ExecutionCounter counter, DependencySwitch dependency) : IProductCatalog
{
    public async Task<Product?> GetProductAsync(int id, CancellationToken cancellationToken = default)
    {
        counter.Increment();
        await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        dependency.ThrowIfFailing();
        return id is > 0 and <= 100 ? new Product(id, $"Product {id}", 9.99m + id) : null;
    }

    public async Task<Price> GetPriceAsync(int id, CancellationToken cancellationToken = default)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        dependency.ThrowIfFailing();
        return new Price(id, 9.99m + id + (Random.Shared.Next(100) / 100m), DateTimeOffset.UtcNow);
    }
}
