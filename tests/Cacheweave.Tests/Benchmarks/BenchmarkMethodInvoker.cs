using System.Collections;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace Cacheweave.Tests.Benchmarks;

/// <summary>
/// Runs a BenchmarkDotNet class's methods once each, the way BenchmarkDotNet would for one case (the first
/// value of every parameter): matching global setup, the method, matching global cleanup. It measures nothing.
/// </summary>
internal static class BenchmarkMethodInvoker
{
    internal static IReadOnlyList<MethodInfo> BenchmarkMethods(Type type) =>
        [.. type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)];

    /// <summary>Runs <paramref name="method"/> once on a fresh instance; returns what it returned (awaited if a task).</summary>
    internal static async Task<object?> RunOnceAsync(Type type, MethodInfo method)
    {
        var instance = Activator.CreateInstance(type)
            ?? throw new InvalidOperationException($"Could not create {type.Name}.");
        SetFirstParameterValues(instance);
        InvokeMatching<GlobalSetupAttribute>(instance, method);
        InvokeMatching<IterationSetupAttribute>(instance, method);
        try
        {
            var result = method.Invoke(instance, null);
            return result switch
            {
                Task task => await AwaitResultAsync(task).ConfigureAwait(false),
                ValueTask valueTask => await AwaitAsync(valueTask).ConfigureAwait(false),
                _ when result is not null && result.GetType().IsGenericType && result.GetType().GetGenericTypeDefinition() == typeof(ValueTask<>)
                    => await AwaitResultAsync((Task)result.GetType().GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(result, null)!).ConfigureAwait(false),
                _ => result,
            };
        }
        finally
        {
            InvokeMatching<IterationCleanupAttribute>(instance, method);
            InvokeMatching<GlobalCleanupAttribute>(instance, method);
        }
    }

    private static async Task<object?> AwaitAsync(ValueTask task)
    {
        await task.ConfigureAwait(false);
        return null;
    }

    private static async Task<object?> AwaitResultAsync(Task task)
    {
        await task.ConfigureAwait(false);
        var type = task.GetType();
        return type.IsGenericType ? type.GetProperty(nameof(Task<int>.Result))!.GetValue(task) : null;
    }

    private static void InvokeMatching<TAttribute>(object instance, MethodInfo benchmark)
        where TAttribute : TargetedAttribute
    {
        foreach (var candidate in instance.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            var attribute = candidate.GetCustomAttribute<TAttribute>();
            if (attribute is not null && (attribute.Targets is not { Length: > 0 } targets || targets.Contains(benchmark.Name)))
            {
                candidate.Invoke(instance, null);
            }
        }
    }

    private static void SetFirstParameterValues(object instance)
    {
        var type = instance.GetType();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            object? value = null;
            if (property.GetCustomAttribute<ParamsAttribute>() is { } values)
            {
                value = values.Values[0];
            }
            else if (property.GetCustomAttribute<ParamsSourceAttribute>() is { } source)
            {
                value = FirstOf(ReadSource(instance, source.Name));
            }
            else if (property.GetCustomAttribute<ParamsAllValuesAttribute>() is not null)
            {
                value = property.PropertyType == typeof(bool) ? false : Enum.GetValues(property.PropertyType).GetValue(0);
            }

            if (value is not null)
            {
                property.SetValue(instance, value);
            }
        }
    }

    private static object? ReadSource(object instance, string name)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.FlattenHierarchy;
        var type = instance.GetType();
        if (type.GetProperty(name, flags) is { } property)
        {
            return property.GetValue(property.GetMethod!.IsStatic ? null : instance);
        }

        if (type.GetMethod(name, flags, Type.EmptyTypes) is { } method)
        {
            return method.Invoke(method.IsStatic ? null : instance, null);
        }

        throw new InvalidOperationException($"{type.Name} has no parameter source named {name}.");
    }

    private static object FirstOf(object? values) =>
        (values as IEnumerable)?.Cast<object>().FirstOrDefault()
        ?? throw new InvalidOperationException("A parameter source returned no values.");
}
