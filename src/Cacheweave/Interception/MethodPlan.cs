using Castle.DynamicProxy;

namespace Cacheweave.Interception;

/// <summary>
/// Everything the interceptor needs to handle calls of one method, worked out once (reflection, formatters, the
/// generic handler for the return shape) so that a call does no reflection and no generic dispatch.
/// </summary>
internal abstract class MethodPlan
{
    /// <summary>Handles one call: sets <see cref="IInvocation.ReturnValue"/> before returning.</summary>
    public abstract void Intercept(IInvocation invocation);
}
