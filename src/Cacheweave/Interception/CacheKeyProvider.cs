using System.Linq.Expressions;
using Microsoft.Extensions.DependencyInjection;

namespace Cacheweave.Interception;

/// <summary>Finds the cached method's plan in the container and asks it for the call's key.</summary>
internal sealed class CacheKeyProvider : ICacheKeyProvider
{
    private readonly IServiceProvider _services;

    public CacheKeyProvider(IServiceProvider services)
    {
        _services = services;
    }

    public string GetKey<TService>(Expression<Func<TService, object?>> invocation)
        where TService : class
    {
        var expression = CallExpression.Parse(invocation, nameof(invocation));
        var plan = PlanOf<TService>(expression);
        if (plan.Settings.Versioned || plan.Settings.Tags.Count > 0)
        {
            throw new InvalidOperationException(
                $"{typeof(TService).FullName}.{expression.Method.Name} is [Cached(Versioned = true)] or has Tags: its key depends on versions kept in " +
                "its backend. Use GetKeyAsync, which reads them.");
        }

        return plan.Keys.Build(CallExpression.EvaluateKeyArguments(expression));
    }

    public ValueTask<string?> GetKeyAsync<TService>(Expression<Func<TService, object?>> invocation, CancellationToken cancellationToken = default)
        where TService : class
    {
        var expression = CallExpression.Parse(invocation, nameof(invocation));
        var plan = PlanOf<TService>(expression);
        return plan.CurrentKeyAsync(CallExpression.EvaluateKeyArguments(expression), cancellationToken);
    }

    private CachedMethodPlan PlanOf<TService>(MethodCallExpression call)
    {
        var interceptor = _services.GetKeyedService<CachingInterceptor>(typeof(TService)) ?? throw new InvalidOperationException(
            $"{typeof(TService).FullName} is not registered with AddCachedProxy<{typeof(TService).Name}>(), so its calls have no cache keys.");

        return interceptor.PlanFor(call.Method) as CachedMethodPlan ?? throw new InvalidOperationException(
            $"{typeof(TService).FullName}.{call.Method.Name} is not [Cached], so its calls have no cache keys.");
    }
}
