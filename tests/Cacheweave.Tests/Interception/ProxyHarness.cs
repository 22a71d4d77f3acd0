using Cacheweave.Backends;
using Cacheweave.Interception;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace Cacheweave.Tests.Interception;

/// <summary>A container with a cached proxy over an NSubstitute "real" service and an LRU backend on a fake clock.</summary>
public sealed class ProxyHarness<TService> : IDisposable
    where TService : class
{
    public ProxyHarness(TService? real = null, InMemoryBackend? backend = null)
    {
        Real = real ?? Substitute.For<TService>();
        Time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Backend = backend ?? new LruBackend(1_000, Time);
        var services = new ServiceCollection();
        services.AddCacheweave(b => b.UseDefaultBackend(_ => Backend));
        services.AddSingleton(Real);
        services.AddCachedProxy<TService>();
        Provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Proxy = Provider.GetRequiredService<TService>();
    }

    public TService Real { get; }

    public TService Proxy { get; }

    public FakeTimeProvider Time { get; }

    public InMemoryBackend Backend { get; }

    public ServiceProvider Provider { get; }

    public ICacheInvalidator Invalidator => Provider.GetRequiredService<ICacheInvalidator>();

    /// <summary>The number of keys the container's per-key lock table holds.</summary>
    public int LockedKeys => Provider.GetRequiredService<KeyedLock>().Count;

    public void Dispose()
    {
        Provider.Dispose();
        Backend.Dispose();
    }
}
