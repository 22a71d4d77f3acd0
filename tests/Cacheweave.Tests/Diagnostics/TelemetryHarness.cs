using System.Diagnostics.Metrics;
using Cacheweave.Backends;
using Cacheweave.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Cacheweave.Tests.Diagnostics;

/// <summary>
/// A container with metrics (<c>AddMetrics</c>: the meter comes from its <see cref="IMeterFactory"/>), Cacheweave and a
/// cached <see cref="IPriceList"/>. Collectors are scoped to the container's meter factory, so tests running in
/// parallel never see each other's measurements.
/// </summary>
public sealed class TelemetryHarness : IDisposable
{
    public TelemetryHarness(Action<CacheweaveBuilder>? configure = null, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        collection.AddMetrics();
        collection.AddSingleton(Prices);
        collection.AddSingleton<IPriceList>(Prices);
        collection.AddCacheweave(configure ?? (b => b.UseDefaultBackend(_ => new LruBackend(100))));
        collection.AddCachedProxy<IPriceList>();
        services?.Invoke(collection);
        Services = collection.BuildServiceProvider();
        Proxy = Services.GetRequiredService<IPriceList>();
    }

    public PriceList Prices { get; } = new();

    public ServiceProvider Services { get; }

    /// <summary>The cached proxy.</summary>
    public IPriceList Proxy { get; }

    public IMeterFactory MeterFactory => Services.GetRequiredService<IMeterFactory>();

    /// <summary>A collector of the container's instrument <paramref name="name"/>.</summary>
    public MetricCollector<T> Collect<T>(string name)
        where T : struct =>
        new(MeterFactory, "Cacheweave", name);

    public void Dispose() => Services.Dispose();
}
