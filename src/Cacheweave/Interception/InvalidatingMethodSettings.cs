using System.Reflection;
using Cacheweave.Keys;
using Cacheweave.Tags;

namespace Cacheweave.Interception;

/// <summary>What <see cref="InvalidatesCacheAttribute"/> means for one interface method, read and checked once.</summary>
internal sealed class InvalidatingMethodSettings
{
    private InvalidatingMethodSettings(MethodInfo method, ReturnShape shape, Type? valueType, TagTemplate[] tags, MethodInfo? target, int[] argumentMap)
    {
        Method = method;
        Shape = shape;
        ValueType = valueType;
        Tags = tags;
        Target = target;
        ArgumentMap = argumentMap;
    }

    /// <summary>The method.</summary>
    public MethodInfo Method { get; }

    /// <summary>How the method returns: synchronously (a value or <see langword="void"/>), or through a task.</summary>
    public ReturnShape Shape { get; }

    /// <summary><c>T</c> of <c>Task&lt;T&gt;</c> / <c>ValueTask&lt;T&gt;</c>; <see langword="null"/> for a synchronous method, <see cref="Task"/> and <see cref="ValueTask"/>.</summary>
    public Type? ValueType { get; }

    /// <summary>The tags to invalidate, over the method's parameters.</summary>
    public IReadOnlyList<TagTemplate> Tags { get; }

    /// <summary>The <c>[Cached]</c> method whose entry for the same arguments is dropped; <see langword="null"/> for none.</summary>
    public MethodInfo? Target { get; }

    /// <summary>For each parameter of <see cref="Target"/>, the position of this method's parameter of the same name, or -1.</summary>
    public IReadOnlyList<int> ArgumentMap { get; }

    /// <summary>Whether <paramref name="method"/> carries <see cref="InvalidatesCacheAttribute"/>.</summary>
    public static bool IsInvalidating(MethodInfo method) => method.IsDefined(typeof(InvalidatesCacheAttribute), inherit: false);

    /// <summary>Reads the settings of <paramref name="method"/>, or returns <see langword="null"/> when it has no <see cref="InvalidatesCacheAttribute"/>.</summary>
    /// <param name="method">The interface method.</param>
    /// <param name="serviceType">The proxied interface, where <see cref="InvalidatesCacheAttribute.Method"/> is looked up.</param>
    /// <exception cref="InvalidOperationException">The attribute cannot be honoured; the message names the method and says why.</exception>
    public static InvalidatingMethodSettings? For(MethodInfo method, Type serviceType)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(serviceType);
        var attribute = method.GetCustomAttribute<InvalidatesCacheAttribute>(inherit: false);
        if (attribute is null)
        {
            return null;
        }

        if (CachedMethodSettings.IsCached(method))
        {
            throw Misuse(method, "it is also [Cached]; a method either reads the cache or drops entries of it. Put [InvalidatesCache] on the method that changes the data");
        }

        if (method.IsGenericMethodDefinition)
        {
            throw Misuse(method, "it is generic; put it on a non-generic method");
        }

        if ((attribute.Tags is null || attribute.Tags.Length == 0) && string.IsNullOrEmpty(attribute.Method))
        {
            throw Misuse(method, "it names no tag and no method; set Tags = new[] { \"user:{userId}\" } or Method = nameof(GetUserAsync)");
        }

        var (shape, valueType) = ShapeOf(method);
        var tags = TagTemplate.ParseAll(method, attribute.Tags, "InvalidatesCache");
        MethodInfo? target = null;
        int[] map = [];
        if (!string.IsNullOrEmpty(attribute.Method))
        {
            (target, map) = FindTarget(method, serviceType, attribute.Method);
        }

        return new InvalidatingMethodSettings(method, shape, valueType, tags, target, map);
    }

    private static (ReturnShape Shape, Type? ValueType) ShapeOf(MethodInfo method)
    {
        var returnType = method.ReturnType;
        if (returnType == typeof(Task))
        {
            return (ReturnShape.Task, null);
        }

        if (returnType == typeof(ValueTask))
        {
            return (ReturnShape.ValueTask, null);
        }

        if (returnType.IsGenericType)
        {
            var definition = returnType.GetGenericTypeDefinition();
            if (definition == typeof(Task<>) || definition == typeof(ValueTask<>))
            {
                return (definition == typeof(Task<>) ? ReturnShape.Task : ReturnShape.ValueTask, returnType.GetGenericArguments()[0]);
            }

            if (definition == typeof(IAsyncEnumerable<>))
            {
                throw Misuse(method, "it returns an IAsyncEnumerable<T>, whose successful completion the proxy cannot see");
            }
        }

        return (ReturnShape.Synchronous, null);
    }

    private static (MethodInfo Target, int[] Map) FindTarget(MethodInfo method, Type serviceType, string name)
    {
        var candidates = CachedMethodSettings.InterfaceMethods(serviceType).Distinct()
            .Where(candidate => candidate.Name == name && !candidate.IsGenericMethodDefinition && CachedMethodSettings.IsCached(candidate))
            .ToList();
        if (candidates.Count == 0)
        {
            throw Misuse(method, $"Method = \"{name}\" names no non-generic [Cached] method of {serviceType.FullName}");
        }

        var parameters = method.GetParameters();
        var matches = new List<(MethodInfo Target, int[] Map)>();
        var reasons = new List<string>();
        foreach (var candidate in candidates)
        {
            var targetParameters = candidate.GetParameters();
            var map = new int[targetParameters.Length];
            var needed = new HashSet<string?>(CachedMethodSettings.For(candidate, serviceType)!.Tags.SelectMany(static tag => tag.Parameters).Select(static p => p.Name));
            string? missing = null;
            for (var i = 0; i < targetParameters.Length; i++)
            {
                var target = targetParameters[i];
                var source = Array.Find(parameters, p => p.Name == target.Name && !p.ParameterType.IsByRef && target.ParameterType.IsAssignableFrom(p.ParameterType));
                map[i] = source?.Position ?? -1;
                if (source is null && (CacheKeyBuilder.IsPartOfKey(target) || needed.Contains(target.Name)))
                {
                    missing ??= $"{MethodIdentity.Of(candidate)} needs a parameter '{target.Name}' of type {MethodIdentity.Of(target.ParameterType)}";
                }
            }

            if (missing is null)
            {
                matches.Add((candidate, map));
            }
            else
            {
                reasons.Add(missing);
            }
        }

        return matches.Count switch
        {
            1 => matches[0],
            0 => throw Misuse(method, $"Method = \"{name}\" cannot be called with this method's arguments, matched by parameter name: {string.Join("; ", reasons)}"),
            _ => throw Misuse(method, $"Method = \"{name}\" matches {matches.Count} overloads by parameter name ({string.Join(", ", matches.Select(static m => MethodIdentity.Of(m.Target)))}); rename one"),
        };
    }

    private static InvalidOperationException Misuse(MethodInfo method, string reason) =>
        new($"[InvalidatesCache] on {method.DeclaringType?.FullName}.{method.Name} cannot be honoured: {reason}.");
}
