using System.Linq.Expressions;
using Cacheweave.Backends;
using Cacheweave.Tags;
using Cacheweave.Tiers;
using Microsoft.Extensions.DependencyInjection;

namespace Cacheweave.Interception;

/// <summary>Finds the cached method's plan in the container and drops its entries through it.</summary>
internal sealed class CacheInvalidator : ICacheInvalidator
{
    private readonly IServiceProvider _services;

    public CacheInvalidator(IServiceProvider services)
    {
        _services = services;
    }

    public async ValueTask<bool> InvalidateAsync<TService>(Expression<Func<TService, object?>> invocation, CancellationToken cancellationToken = default)
        where TService : class =>
        await InvalidateWithResultAsync(invocation, cancellationToken).ConfigureAwait(false) == CacheInvalidationResult.Removed;

    public async ValueTask<CacheInvalidationResult> InvalidateWithResultAsync<TService>(Expression<Func<TService, object?>> invocation, CancellationToken cancellationToken = default)
        where TService : class
    {
        var expression = CallExpression.Parse(invocation, nameof(invocation));
        var plan = PlanOf<TService>(expression);
        var key = await plan.CurrentKeyAsync(CallExpression.EvaluateKeyArguments(expression), cancellationToken).ConfigureAwait(false);
        return key is null ? CacheInvalidationResult.NotFound : await plan.Backend.InvalidateKeyAsync(key, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask InvalidateAllAsync<TService>(Expression<Func<TService, object?>> method, CancellationToken cancellationToken = default)
        where TService : class
    {
        var expression = CallExpression.Parse(method, nameof(method));
        return PlanOf<TService>(expression).InvalidateAllAsync(cancellationToken);
    }

    public ValueTask<CacheInvalidationResult> InvalidateTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        return InvalidateTagsAsync([tag], cancellationToken);
    }

    public ValueTask<CacheInvalidationResult> InvalidateTagsAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default) =>
        _services.GetRequiredService<TagInvalidator>().InvalidateAsync(tags, cancellationToken);

    public ValueTask ClearAsync(string? backendName = null, CancellationToken cancellationToken = default)
    {
        var backend = backendName is null
            ? _services.GetRequiredService<ICacheBackend>()
            : _services.GetKeyedService<ICacheBackend>(backendName) ?? throw new ArgumentException(
                $"No backend named '{backendName}' is registered; register it with services.AddCacheweave(b => b.AddBackend(\"{backendName}\", …)).",
                nameof(backendName));
        return backend.ClearAsync(cancellationToken);
    }

    private CachedMethodPlan PlanOf<TService>(MethodCallExpression call)
    {
        var interceptor = _services.GetKeyedService<CachingInterceptor>(typeof(TService)) ?? throw new InvalidOperationException(
            $"{typeof(TService).FullName} is not registered with AddCachedProxy<{typeof(TService).Name}>(), so none of its calls are cached.");

        return interceptor.PlanFor(call.Method) as CachedMethodPlan ?? throw new InvalidOperationException(
            $"{typeof(TService).FullName}.{call.Method.Name} is not [Cached], so it has no entries to drop.");
    }
}
