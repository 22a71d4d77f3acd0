using Cacheweave.Backends;
using Cacheweave.Interception;
using Microsoft.Extensions.DependencyInjection;

namespace Cacheweave.Tests.Tags;

/// <summary>A container with a cached <see cref="ICatalog"/> proxy over the real <see cref="Catalog"/> and an in-memory backend.</summary>
public sealed class CatalogHarness : IDisposable
{
    public CatalogHarness(InMemoryBackend? backend = null)
    {
        Backend = backend ?? new LruBackend(10_000);
        var services = new ServiceCollection();
        services.AddCacheweave(b => b.UseDefaultBackend(_ => Backend));
        services.AddSingleton<ICatalog>(Real);
        services.AddCachedProxy<ICatalog>();
        Provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Proxy = Provider.GetRequiredService<ICatalog>();
    }

    public Catalog Real { get; } = new();

    public ICatalog Proxy { get; }

    public InMemoryBackend Backend { get; }

    public ServiceProvider Provider { get; }

    public ICacheInvalidator Invalidator => Provider.GetRequiredService<ICacheInvalidator>();

    public void Dispose()
    {
        Provider.Dispose();
        Backend.Dispose();
    }
}
