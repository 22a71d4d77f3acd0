using System.Linq.Expressions;
using System.Reflection;

namespace Cacheweave.Interception;

/// <summary>
/// Compiles, once per method, a delegate that calls the real service with a call's argument array.
/// </summary>
/// <remarks>
/// The interceptor calls the target through this delegate instead of <c>IInvocation.Proceed()</c>. Proceeding writes
/// <c>IInvocation.ReturnValue</c>; when a caller proceeds after waiting for another caller of the same key, that write
/// happens on another thread while the proxy may still be reading the value the interceptor returned, and the proxy
/// could hand back the real service's task instead (a <c>ValueTask</c> would then be awaited twice). The delegate leaves the
/// invocation alone, is faster than proceeding, and takes the target and arguments captured before the first await,
/// which is what <c>CaptureProceedInfo()</c> would otherwise be for.
/// </remarks>
internal static class TargetInvoker
{
    /// <summary>Compiles <c>(target, arguments) =&gt; ((Service)target).Method((P0)arguments[0], …)</c>.</summary>
    public static Func<object, object?[], TResult> Compile<TResult>(MethodInfo method)
    {
        var target = Expression.Parameter(typeof(object), "target");
        var arguments = Expression.Parameter(typeof(object?[]), "arguments");
        var parameters = method.GetParameters();
        var callArguments = new Expression[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            callArguments[i] = Expression.Convert(Expression.ArrayIndex(arguments, Expression.Constant(i)), parameters[i].ParameterType);
        }

        var call = Expression.Call(Expression.Convert(target, method.DeclaringType!), method, callArguments);
        return Expression.Lambda<Func<object, object?[], TResult>>(call, target, arguments).Compile();
    }
}
