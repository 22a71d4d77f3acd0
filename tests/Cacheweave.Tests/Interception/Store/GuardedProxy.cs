using Cacheweave.Backends;
using Cacheweave.Interception;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using NSubstitute;

namespace Cacheweave.Tests.Interception.Store;

/// <summary>A cached proxy of <see cref="IGuardedService"/> over a substitute backend, logging to a <see cref="FakeLogger"/>.</summary>
internal sealed class GuardedProxy : IDisposable
{
    private readonly ServiceProvider _provider;

    public GuardedProxy(ICacheBackend backend)
    {
        Real.TaskAsync(Arg.Any<int>()).Returns(ci => 10 * ci.Arg<int>());
        Real.ValueAsync(Arg.Any<int>()).Returns(ci => new ValueTask<int>(10 * ci.Arg<int>()));
        Real.Sync(Arg.Any<int>()).Returns(ci => 10 * ci.Arg<int>());
        var services = new ServiceCollection();
        services.AddSingleton(CapturedLog.FactoryOf(Log));
        services.AddCacheweave(b => b.UseDefaultBackend(_ => backend));
        services.AddSingleton(Real).AddCachedProxy<IGuardedService>();
        _provider = services.BuildServiceProvider();
        Proxy = _provider.GetRequiredService<IGuardedService>();
    }

    public IGuardedService Real { get; } = Substitute.For<IGuardedService>();

    public IGuardedService Proxy { get; }

    public FakeLogger Log { get; } = new();

    public CachedMethodPlan PlanOf(string method) =>
        (CachedMethodPlan)_provider.GetRequiredKeyedService<CachingInterceptor>(typeof(IGuardedService))
            .PlanFor(typeof(IGuardedService).GetMethod(method)!);

    public void Dispose() => _provider.Dispose();
}
