using Cacheweave.Interception;
using Castle.DynamicProxy;

namespace Cacheweave.DependencyInjection;

/// <summary>Makes cached proxies; one per container, so that each proxy type is generated once per container.</summary>
internal sealed class CachedProxyFactory
{
    private readonly ProxyGenerator _generator = new();
    private readonly ProxyGenerationOptions _options = new(CachedMethodsOnlyHook.Instance);

    /// <summary>Wraps <paramref name="target"/> in a proxy whose cached methods go through <paramref name="interceptor"/>.</summary>
    public TService Create<TService>(TService target, CachingInterceptor interceptor)
        where TService : class =>
        _generator.CreateInterfaceProxyWithTarget(target, _options, interceptor);
}
