using System.Collections.Concurrent;
using System.Reflection;
using Cacheweave.Backends;

namespace Cacheweave.Serialization;

/// <summary>
/// The registration check of a cached method's result type against the serializer of its backend (when the backend
/// serializes values): the type must round-trip faithfully, or the plan is not built.
/// </summary>
internal static class ValueRoundTripCheck
{
    private static readonly ConcurrentDictionary<(ICacheValueSerializer, Type), string?> s_problems = new();

    /// <summary>Throws when values of <paramref name="valueType"/> would not come back from <paramref name="backend"/> as they went in.</summary>
    /// <param name="method">The cached method, for the message.</param>
    /// <param name="valueType">The method's result type (the <c>T</c> of <c>Task&lt;T&gt;</c>, <c>ValueTask&lt;T&gt;</c> or <c>T</c>).</param>
    /// <param name="backend">The method's backend.</param>
    /// <exception cref="InvalidOperationException">The type does not round-trip; the message names the method, the type and the member.</exception>
    public static void Ensure(MethodInfo method, Type valueType, ICacheBackend backend)
    {
        if (backend is not ISerializingCacheBackend { ValueSerializer: { } serializer })
        {
            return;
        }

        var problem = s_problems.GetOrAdd((serializer, valueType), static key => key.Item1.CanRoundTrip(key.Item2, out var found) ? null : found);
        if (problem is not null)
        {
            throw new InvalidOperationException(
                $"[Cached] {method.DeclaringType?.FullName}.{method.Name} returns {valueType}, which its backend cannot store faithfully with " +
                $"{serializer.GetType().Name}: {problem}. Bind the member through a constructor parameter of the same name, give it a public " +
                "setter, declare a concrete type, or mark it ignored.");
        }
    }
}
