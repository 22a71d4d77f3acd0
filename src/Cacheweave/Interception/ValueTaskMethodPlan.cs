using Cacheweave.Backends;
using Castle.DynamicProxy;
using Microsoft.Extensions.Logging;

namespace Cacheweave.Interception;

/// <summary>The plan of a cached method returning <c>ValueTask&lt;T&gt;</c>.</summary>
internal sealed class ValueTaskMethodPlan<T> : CachedMethodPlan<T>
{
    private readonly Func<object, object?[], ValueTask<T>> _invoke;

    // IInvocation.ReturnValue is an object, so a ValueTask<T> result is boxed; a repeated hit on the same value
    // reuses the last box, which makes such a hit allocation-free apart from Castle's own invocation.
    private object? _lastBoxed;

    public ValueTaskMethodPlan(CachedMethodSettings settings, ICacheBackend backend, KeyedLock locks, ILogger logger)
        : base(settings, backend, locks, logger)
    {
        _invoke = TargetInvoker.Compile<ValueTask<T>>(settings.Method);
    }

    public override void Intercept(IInvocation invocation)
    {
        invocation.ReturnValue = TryGetCompleted(invocation.InvocationTarget!, invocation.Arguments, out var value, out var pending)
            ? Completed(value)
            : pending;
    }

    protected override ValueTask<T> InvokeTargetAsync(object target, object?[] arguments) => _invoke(target, arguments);

    private object Completed(T value)
    {
        // Read the shared slot once: another thread may replace it between a check and a second read, and the
        // caller would then get that thread's value.
        var lastBoxed = _lastBoxed;
        if (lastBoxed is ValueTask<T> last && SameValue<T>.Equals(last.Result, value))
        {
            return lastBoxed;
        }

        object boxed = new ValueTask<T>(value);
        _lastBoxed = boxed;
        return boxed;
    }
}
