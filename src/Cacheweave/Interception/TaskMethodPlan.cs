using Cacheweave.Backends;
using Castle.DynamicProxy;
using Microsoft.Extensions.Logging;

namespace Cacheweave.Interception;

/// <summary>The plan of a cached method returning <c>Task&lt;T&gt;</c>.</summary>
internal sealed class TaskMethodPlan<T> : CachedMethodPlan<T>
{
    private readonly Func<object, object?[], Task<T>> _invoke;

    // The task handed out for the last hit: a repeated hit on the same value reuses it instead of allocating.
    private Task<T>? _lastCompleted;

    public TaskMethodPlan(CachedMethodSettings settings, ICacheBackend backend, KeyedLock locks, ILogger logger)
        : base(settings, backend, locks, logger)
    {
        _invoke = TargetInvoker.Compile<Task<T>>(settings.Method);
    }

    public override void Intercept(IInvocation invocation)
    {
        invocation.ReturnValue = TryGetCompleted(invocation.InvocationTarget!, invocation.Arguments, out var value, out var pending)
            ? Completed(value)
            : pending.AsTask();
    }

    protected override ValueTask<T> InvokeTargetAsync(object target, object?[] arguments) =>
        new(_invoke(target, arguments) ?? throw new InvalidOperationException($"{Keys.Identity} returned a null Task."));

    private Task<T> Completed(T value)
    {
        var last = _lastCompleted;
        if (last is not null && SameValue<T>.Equals(last.Result, value))
        {
            return last;
        }

        return _lastCompleted = Task.FromResult(value);
    }
}
