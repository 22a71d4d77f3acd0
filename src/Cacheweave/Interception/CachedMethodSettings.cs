using System.Reflection;
using Cacheweave.Backends;
using Cacheweave.FailSafe;
using Cacheweave.Keys;
using Cacheweave.Tags;

namespace Cacheweave.Interception;

/// <summary>What <see cref="CachedAttribute"/> means for one interface method, read and checked once.</summary>
internal sealed class CachedMethodSettings
{
    private CachedMethodSettings(
        MethodInfo method, Type serviceType, ReturnShape shape, Type valueType, CachedAttribute attribute, EntryLifetime? lifetime, Delegate? unless)
    {
        Lifetime = lifetime;
        Unless = unless;
        Method = method;
        ServiceType = serviceType;
        Shape = shape;
        ValueType = valueType;
        Backend = attribute.Backend;
        Prefix = attribute.KeyPrefix ?? DefaultPrefix(method.DeclaringType!);
        CacheNulls = attribute.CacheNulls;
        Versioned = attribute.Versioned;
        EntryOptions = attribute.TtlSeconds > 0 ? CacheEntryOptions.FromSeconds(attribute.TtlSeconds) : null;
        LockTimeout = attribute.LockTimeoutSeconds > 0 ? TimeSpan.FromSeconds(attribute.LockTimeoutSeconds) : Timeout.InfiniteTimeSpan;
        Tags = TagTemplate.ParseAll(method, attribute.Tags, "Cached");
    }

    /// <summary>The method.</summary>
    public MethodInfo Method { get; }

    /// <summary>The proxied interface whose calls these settings are for: the declaring interface or one that inherits the method.</summary>
    public Type ServiceType { get; }

    /// <summary>How the method returns its value.</summary>
    public ReturnShape Shape { get; }

    /// <summary>The cached value's type: <c>T</c> of <c>Task&lt;T&gt;</c>, <c>ValueTask&lt;T&gt;</c> or a synchronous <c>T</c>.</summary>
    public Type ValueType { get; }

    /// <summary>The named backend, or <see langword="null"/> for the default one.</summary>
    public string? Backend { get; }

    /// <summary>The key prefix.</summary>
    public string Prefix { get; }

    /// <summary>Whether null results are stored.</summary>
    public bool CacheNulls { get; }

    /// <summary>Whether the method's keys carry a version that can be renewed to drop them all.</summary>
    public bool Versioned { get; }

    /// <summary>How long a caller waits for another caller of the same key; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</summary>
    public TimeSpan LockTimeout { get; }

    /// <summary>Options for every entry the method writes; <see langword="null"/> takes the backend's defaults.</summary>
    public CacheEntryOptions? EntryOptions { get; }

    /// <summary>The tag templates of <see cref="CachedAttribute.Tags"/>, parsed against the method's parameters; empty for none.</summary>
    public IReadOnlyList<TagTemplate> Tags { get; }
    /// <summary>
    /// The lifetime rules when the method uses fail-safe, eager refresh, timeouts, jitter, <c>Unless</c> or a null
    /// lifetime (its entries are then stored as envelopes); <see langword="null"/> for a plain method.
    /// </summary>
    public EntryLifetime? Lifetime { get; }

    /// <summary>The <c>Func&lt;T, bool&gt;</c> that says which results are not stored, or <see langword="null"/>.</summary>
    public Delegate? Unless { get; }

    /// <summary>The clock of the method's logical lifetimes and timeouts; set by the plan factory from the container.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Whether <paramref name="method"/> is cached, without validating it.</summary>
    public static bool IsCached(MethodInfo method) => FindAttribute(method, out var fromInterface) is not null &&
        (!fromInterface || TryGetShape(method.ReturnType, out _, out _)) && SettablePropertyOf(method) is null;

    /// <summary>Reads the settings of <paramref name="method"/>, or returns <see langword="null"/> when it is not cached.</summary>
    /// <param name="method">The interface method (closed, when generic).</param>
    /// <param name="serviceType">The proxied interface; <see langword="null"/> for the method's declaring interface.</param>
    /// <exception cref="InvalidOperationException">The method is marked but cannot be cached; the message names it and says why.</exception>
    public static CachedMethodSettings? For(MethodInfo method, Type? serviceType = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        var attribute = FindAttribute(method, out var fromInterface);
        if (attribute is null)
        {
            return null;
        }

        if (SettablePropertyOf(method) is { } property)
        {
            // A settable property is state, not a computation: a cached getter would keep returning the old value
            // after the property is set. An interface-wide [Cached] leaves such getters alone; an explicit one is a mistake.
            if (fromInterface)
            {
                return null;
            }

            throw Misuse(method, $"it is the getter of the property {property.Name}, which also has a setter, and a cached getter " +
                $"would go on returning the old value after {property.Name} is set. Cache a method instead, or make the property read-only");
        }

        if (!TryGetShape(method.ReturnType, out var shape, out var valueType))
        {
            if (fromInterface)
            {
                return null;
            }

            throw Misuse(method, $"it returns {MethodIdentity.Of(method.ReturnType)}. A cached method returns Task<T>, ValueTask<T> or a value; " +
                "there is no result to cache for void, Task or ValueTask, and an IAsyncEnumerable<T> is a stream, not a value");
        }

        foreach (var parameter in method.GetParameters())
        {
            if (parameter.ParameterType.IsByRef)
            {
                throw Misuse(method, $"its parameter '{parameter.Name}' is passed by reference (ref, out or in), which a cached result cannot reproduce");
            }
        }

        if (!double.IsFinite(attribute.TtlSeconds) || attribute.TtlSeconds < 0 || attribute.TtlSeconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            throw Misuse(method, $"TtlSeconds = {attribute.TtlSeconds} is not a time to live; give a positive number of seconds, or 0 for the backend's default");
        }

        if (!double.IsFinite(attribute.LockTimeoutSeconds) || attribute.LockTimeoutSeconds < 0 || attribute.LockTimeoutSeconds * 1000 > int.MaxValue)
        {
            throw Misuse(method, $"LockTimeoutSeconds = {attribute.LockTimeoutSeconds} is not a wait; give a positive number of seconds " +
                $"(at most {int.MaxValue / 1000}), or 0 to wait as long as it takes");
        }

        if (attribute.KeyPrefix is { } prefix && (prefix.Length == 0 || prefix.Any(char.IsWhiteSpace)))
        {
            throw Misuse(method, $"KeyPrefix = \"{prefix}\" is empty or contains white space");
        }

        if (attribute.Backend is { Length: 0 })
        {
            throw Misuse(method, "Backend = \"\" names no backend; leave it null for the default backend");
        }

        EntryLifetime? lifetime = null;
        Delegate? unless = null;
        if (AttributeLifetime.IsUsed(attribute))
        {
            lifetime = AttributeLifetime.Read(attribute, out var problem) ?? throw Misuse(method, problem!);
            unless = UnlessPredicate.Resolve(attribute, serviceType ?? method.DeclaringType!, method, valueType!, out problem);
            if (problem is not null)
            {
                throw Misuse(method, problem);
            }
        }

        return new CachedMethodSettings(method, serviceType ?? method.DeclaringType!, shape, valueType!, attribute, lifetime, unless);
    }

    /// <summary>Every method a proxy of <paramref name="interfaceType"/> implements: its own and those of the interfaces it extends.</summary>
    public static IEnumerable<MethodInfo> InterfaceMethods(Type interfaceType) =>
        interfaceType.GetInterfaces().Prepend(interfaceType).SelectMany(static type => type.GetMethods());

    private static CachedAttribute? FindAttribute(MethodInfo method, out bool fromInterface)
    {
        fromInterface = false;
        var onMethod = method.GetCustomAttribute<CachedAttribute>(inherit: false);
        if (onMethod is not null)
        {
            return onMethod;
        }

        fromInterface = true;
        var declaringType = method.DeclaringType;
        return declaringType is { IsInterface: true } ? declaringType.GetCustomAttribute<CachedAttribute>(inherit: false) : null;
    }

    private static PropertyInfo? SettablePropertyOf(MethodInfo method)
    {
        if (!method.IsSpecialName || method.DeclaringType is not { } declaringType)
        {
            return null;
        }

        const BindingFlags all = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var property in declaringType.GetProperties(all))
        {
            if (property.SetMethod is not null && property.GetMethod is { } getter &&
                getter.MetadataToken == method.MetadataToken && getter.Module == method.Module)
            {
                return property;
            }
        }

        return null;
    }

    private static bool TryGetShape(Type returnType, out ReturnShape shape, out Type? valueType)
    {
        shape = ReturnShape.Synchronous;
        valueType = null;
        if (returnType == typeof(void) || returnType == typeof(Task) || returnType == typeof(ValueTask) || returnType.IsByRef)
        {
            return false;
        }

        if (returnType.IsGenericType)
        {
            var definition = returnType.GetGenericTypeDefinition();
            if (definition == typeof(IAsyncEnumerable<>))
            {
                return false;
            }

            if (definition == typeof(Task<>) || definition == typeof(ValueTask<>))
            {
                shape = definition == typeof(Task<>) ? ReturnShape.Task : ReturnShape.ValueTask;
                valueType = returnType.GetGenericArguments()[0];
                return true;
            }
        }

        valueType = returnType;
        return true;
    }

    private static string DefaultPrefix(Type declaringType)
    {
        var name = declaringType.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }

    private static InvalidOperationException Misuse(MethodInfo method, string reason) =>
        new($"[Cached] on {method.DeclaringType?.FullName}.{method.Name} cannot be honoured: {reason}.");
}
