using Castle.DynamicProxy;

namespace Cacheweave.Interception;

/// <summary>The plan of a method without <see cref="CachedAttribute"/>: the call goes straight to the real service.</summary>
internal sealed class PassThroughMethodPlan : MethodPlan
{
    public static PassThroughMethodPlan Instance { get; } = new();

    private PassThroughMethodPlan()
    {
    }

    public override void Intercept(IInvocation invocation) => invocation.Proceed();
}
