using System.Reflection;
using Cacheweave.Tags;
using Cacheweave.Tiers;
using Castle.DynamicProxy;
using Microsoft.Extensions.Logging;

namespace Cacheweave.Interception;

/// <summary>
/// The plan of a method marked <see cref="InvalidatesCacheAttribute"/>: runs the real method, and once it has completed
/// successfully drops its tags and the entry of its target method. A method that throws, or whose task faults or is
/// cancelled, drops nothing.
/// </summary>
internal sealed class InvalidatingMethodPlan : MethodPlan
{
    private readonly InvalidatingMethodSettings _settings;
    private readonly Func<object?[], string>[] _tagsOf;
    private readonly TagInvalidator _tags;
    private readonly CachedMethodPlan? _target;
    private readonly ILogger _logger;
    private readonly Func<object, object?[], object>? _afterTask;

    /// <param name="settings">The method's settings.</param>
    /// <param name="tags">Invalidates tags on every tag backend of the container.</param>
    /// <param name="target">The plan of <see cref="InvalidatingMethodSettings.Target"/>, when there is one.</param>
    /// <param name="logger">Where pending invalidations are reported.</param>
    public InvalidatingMethodPlan(InvalidatingMethodSettings settings, TagInvalidator tags, CachedMethodPlan? target, ILogger logger)
    {
        _settings = settings;
        _tagsOf = settings.Tags.Select(static template => template.Compile(string.Empty)).ToArray();
        _tags = tags;
        _target = target;
        _logger = logger;
        _afterTask = settings.Shape switch
        {
            ReturnShape.Task when settings.ValueType is { } value => Bind(nameof(AfterTaskOf), value),
            ReturnShape.Task => (returned, arguments) => AfterAsync((Task)returned, arguments),
            ReturnShape.ValueTask when settings.ValueType is { } value => Bind(nameof(AfterValueTaskOf), value),
            ReturnShape.ValueTask => AfterValueTask,
            _ => null,
        };
    }

    public override void Intercept(IInvocation invocation)
    {
        // Proceeding is safe here: nothing waits for a lock, and the return value is replaced on this thread.
        invocation.Proceed();
        var arguments = invocation.Arguments;
        if (_afterTask is null)
        {
            Synchronously.Wait(InvalidateAsync(arguments));
            return;
        }

        var returned = invocation.ReturnValue ?? throw new InvalidOperationException(
            $"{_settings.Method.DeclaringType?.FullName}.{_settings.Method.Name} returned a null task.");
        invocation.ReturnValue = _afterTask(returned, arguments);
    }

    /// <summary>Drops the tags and the target entry of a call with <paramref name="arguments"/>.</summary>
    public async ValueTask InvalidateAsync(object?[] arguments)
    {
        // Not the caller's token: the data has changed, so the entries must go whatever the caller does now.
        if (_tagsOf.Length > 0)
        {
            var tags = Array.ConvertAll(_tagsOf, tagOf => tagOf(arguments));
            var result = await _tags.InvalidateAsync(tags, CancellationToken.None).ConfigureAwait(false);
            if (result == CacheInvalidationResult.Pending)
            {
                TagLog.InvalidationPending(_logger, _settings.Method.Name, string.Join(", ", tags));
            }
        }

        if (_target is not null)
        {
            var targetArguments = new object?[_settings.ArgumentMap.Count];
            for (var i = 0; i < targetArguments.Length; i++)
            {
                var source = _settings.ArgumentMap[i];
                targetArguments[i] = source < 0 ? null : arguments[source];
            }

            var key = await _target.CurrentKeyAsync(targetArguments, CancellationToken.None).ConfigureAwait(false);
            if (key is not null &&
                await _target.Backend.InvalidateKeyAsync(key, CancellationToken.None).ConfigureAwait(false) == CacheInvalidationResult.Pending)
            {
                TagLog.InvalidationPending(_logger, _settings.Method.Name, key);
            }
        }
    }

    private Func<object, object?[], object> Bind(string name, Type valueType) =>
        typeof(InvalidatingMethodPlan).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Instance)!
            .MakeGenericMethod(valueType)
            .CreateDelegate<Func<object, object?[], object>>(this);

    private Task<T> AfterTaskOf<T>(object returned, object?[] arguments) => AfterAsync((Task<T>)returned, arguments);

    private object AfterValueTaskOf<T>(object returned, object?[] arguments)
    {
        object boxed = new ValueTask<T>(AfterAsync(((ValueTask<T>)returned).AsTask(), arguments));
        return boxed;
    }

    private object AfterValueTask(object returned, object?[] arguments)
    {
        object boxed = new ValueTask(AfterAsync(((ValueTask)returned).AsTask(), arguments));
        return boxed;
    }

    private async Task AfterAsync(Task task, object?[] arguments)
    {
        await task.ConfigureAwait(false);
        await InvalidateAsync(arguments).ConfigureAwait(false);
    }

    private async Task<T> AfterAsync<T>(Task<T> task, object?[] arguments)
    {
        var value = await task.ConfigureAwait(false);
        await InvalidateAsync(arguments).ConfigureAwait(false);
        return value;
    }
}
