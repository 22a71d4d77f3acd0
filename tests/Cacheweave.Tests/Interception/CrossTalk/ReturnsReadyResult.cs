using Castle.DynamicProxy;

namespace Cacheweave.Tests.Interception.CrossTalk;

/// <summary>The least an interceptor can do: hand back one ready-made result.</summary>
public sealed class ReturnsReadyResult(object result) : IInterceptor
{
    public void Intercept(IInvocation invocation) => invocation.ReturnValue = result;
}
