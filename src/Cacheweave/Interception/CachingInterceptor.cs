using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using Castle.DynamicProxy;

namespace Cacheweave.Interception;

/// <summary>
/// The Castle interceptor of one cached service interface: finds the call's <see cref="MethodPlan"/> and lets it
/// handle the call. Plans of ordinary methods are built up front; those of generic methods on their first call with
/// each set of type arguments.
/// </summary>
internal sealed class CachingInterceptor : IInterceptor
{
    private readonly FrozenDictionary<MethodInfo, MethodPlan> _plans;
    private readonly ConcurrentDictionary<MethodInfo, MethodPlan> _genericPlans = new();
    private readonly Func<MethodInfo, MethodPlan> _createPlan;

    /// <summary>Builds the plans of <paramref name="serviceType"/>'s methods.</summary>
    /// <exception cref="InvalidOperationException">A method is marked but cannot be cached.</exception>
    public CachingInterceptor(Type serviceType, MethodPlanFactory factory)
    {
        ServiceType = serviceType;
        _createPlan = factory.Create;
        _plans = CachedMethodSettings.InterfaceMethods(serviceType)
            .Where(static method => !method.IsGenericMethodDefinition)
            .Distinct()
            .ToFrozenDictionary(method => method, factory.Create);
    }

    /// <summary>The interface whose calls this interceptor handles.</summary>
    public Type ServiceType { get; }

    /// <inheritdoc />
    public void Intercept(IInvocation invocation) => PlanFor(invocation.Method).Intercept(invocation);

    /// <summary>Returns the plan of <paramref name="method"/> (closed, when generic), building it on first use.</summary>
    public MethodPlan PlanFor(MethodInfo method) =>
        _plans.TryGetValue(method, out var plan) ? plan : _genericPlans.GetOrAdd(method, _createPlan);
}
