using System.Reflection;
using Cacheweave.Backends;
using Cacheweave.Diagnostics;
using Cacheweave.Interception;
using Cacheweave.Tests.Interception;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace Cacheweave.Tests.FailSafe;

/// <summary>A cached proxy over a substitute <see cref="IInventory"/>, with the container's clock a <see cref="FakeTimeProvider"/> and its log captured.</summary>
public sealed class InventoryHarness : IDisposable
{
    public InventoryHarness()
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Backend = new LruBackend(10_000, Time);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(CapturedLog.FactoryOf(Log));
        services.AddCacheweave(b => b.UseDefaultBackend(_ => Backend));
        services.AddSingleton(Real);
        services.AddCachedProxy<IInventory>();
        Provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Proxy = Provider.GetRequiredService<IInventory>();
    }

    public IInventory Real { get; } = Substitute.For<IInventory>();

    public IInventory Proxy { get; }

    public FakeTimeProvider Time { get; }

    public LruBackend Backend { get; }

    public FakeLogger Log { get; } = new();

    public ServiceProvider Provider { get; }

    /// <summary>How many calls of <paramref name="method"/> had <paramref name="outcome"/>.</summary>
    public long CountOf(string method, CacheCallOutcome outcome)
    {
        var interceptor = Provider.GetRequiredKeyedService<CachingInterceptor>(typeof(IInventory));
        var plan = (CachedMethodPlan)interceptor.PlanFor(typeof(IInventory).GetMethod(method, BindingFlags.Public | BindingFlags.Instance)!);
        return plan.Outcomes.CountOf(outcome);
    }

    /// <summary>The number of keys held or waited for in the container's lock table: 0 once every run has ended.</summary>
    public int LockedKeys() => Provider.GetRequiredService<KeyedLock>().Count;

    public void Dispose()
    {
        Provider.Dispose();
        Backend.Dispose();
    }
}
