using Castle.DynamicProxy;

namespace Cacheweave.Benchmarks.Interception;

/// <summary>A Castle interceptor that only proceeds to the target: the cost of the proxy itself, for comparison.</summary>
public sealed class PassThroughInterceptor : IInterceptor
{
    /// <inheritdoc />
    public void Intercept(IInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        invocation.Proceed();
    }
}
