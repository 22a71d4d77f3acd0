using System.Reflection;
using Cacheweave.Interception;
using Cacheweave.Keys;

namespace Cacheweave.FailSafe;

/// <summary>Turns <see cref="CachedAttribute.Unless"/> or <see cref="CachedAttribute.UnlessType"/> into a <c>Func&lt;T, bool&gt;</c>, once, at registration.</summary>
internal static class UnlessPredicate
{
    /// <summary>Resolves the predicate of <paramref name="attribute"/>; <see langword="null"/> when none is set.</summary>
    /// <param name="attribute">The method's attribute.</param>
    /// <param name="serviceType">The proxied interface; searched first, then the method's declaring interface.</param>
    /// <param name="method">The cached method.</param>
    /// <param name="valueType">The method's result type.</param>
    /// <param name="problem">Why the predicate cannot be used, when the method returns <see langword="null"/> and one was set.</param>
    public static Delegate? Resolve(CachedAttribute attribute, Type serviceType, MethodInfo method, Type valueType, out string? problem)
    {
        problem = null;
        if (attribute.Unless is { } name)
        {
            if (attribute.UnlessType is not null)
            {
                problem = "both Unless and UnlessType are set; set one of them";
                return null;
            }

            return FromStaticMethod(name, serviceType, method.DeclaringType!, valueType, out problem);
        }

        return attribute.UnlessType is { } type ? FromConditionType(type, valueType, out problem) : null;
    }

    private static Delegate? FromStaticMethod(string name, Type serviceType, Type declaringType, Type valueType, out string? problem)
    {
        const BindingFlags statics = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
        foreach (var type in new[] { serviceType, declaringType }.Distinct())
        {
            var predicate = type.GetMethods(statics).FirstOrDefault(m => m.Name == name && !m.IsGenericMethodDefinition && m.ReturnType == typeof(bool) &&
                m.GetParameters() is [{ ParameterType: var parameter }] && parameter.IsAssignableFrom(valueType));
            if (predicate is not null)
            {
                problem = null;
                return predicate.CreateDelegate(typeof(Func<,>).MakeGenericType(valueType, typeof(bool)));
            }
        }

        problem = $"Unless = \"{name}\" names no method 'static bool {name}({MethodIdentity.Of(valueType)} result)' on {MethodIdentity.Of(serviceType)}";
        return null;
    }

    private static Delegate? FromConditionType(Type type, Type valueType, out string? problem)
    {
        var condition = typeof(ICacheCondition<>).MakeGenericType(valueType);
        if (!condition.IsAssignableFrom(type) || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
        {
            problem = $"UnlessType = {MethodIdentity.Of(type)} is not a concrete class implementing {MethodIdentity.Of(condition)} with a public parameterless constructor";
            return null;
        }

        problem = null;
        var instance = Activator.CreateInstance(type)!;
        return condition.GetMethod(nameof(ICacheCondition<object>.Excludes))!.CreateDelegate(typeof(Func<,>).MakeGenericType(valueType, typeof(bool)), instance);
    }
}
