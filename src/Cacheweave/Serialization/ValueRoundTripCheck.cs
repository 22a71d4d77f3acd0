using System.Collections.Concurrent;
using System.Reflection;
using Cacheweave.Backends;
using Cacheweave.Keys;

namespace Cacheweave.Serialization;

/// <summary>
/// The registration check of a cached method's result type against the serializer of its backend (when the backend
/// serializes values): the type must round-trip faithfully, or the plan is not built.
/// </summary>
internal static class ValueRoundTripCheck
{
    private static readonly ConcurrentDictionary<(ICacheValueSerializer, Type), string?> s_problems = new();

    /// <summary>What keeps values of <paramref name="valueType"/> from round-tripping through <paramref name="serializer"/>, or <see langword="null"/>; checked once per pair.</summary>
    public static string? ProblemOf(ICacheValueSerializer serializer, Type valueType) =>
        s_problems.GetOrAdd((serializer, valueType), static key => key.Item1.CanRoundTrip(key.Item2, out var found) ? null : found);

    /// <summary>
    /// Throws when a value of <typeparamref name="T"/> just serialized by <paramref name="serializer"/> would not be read
    /// back as written. Serializers call it after writing, so that the guard's more precise refusals (a runtime type,
    /// a cycle) come first; the caller discards what was written.
    /// </summary>
    /// <exception cref="CacheValueRejectedException">The type does not round-trip (<see cref="CacheValueRejectionReason.Unserializable"/>).</exception>
    public static void EnsureWritten<T>(ICacheValueSerializer serializer)
    {
        if (ProblemOf(serializer, typeof(T)) is { } problem)
        {
            throw new CacheValueRejectedException(
                string.Empty,
                CacheValueRejectionReason.Unserializable,
                $"A {MethodIdentity.Of(typeof(T))} would not be read back as written: {problem}.");
        }
    }

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

        if (ProblemOf(serializer, valueType) is { } problem)
        {
            throw new InvalidOperationException(
                $"[Cached] {method.DeclaringType?.FullName}.{method.Name} returns {valueType}, which its backend cannot store faithfully with " +
                $"{serializer.GetType().Name}: {problem}. Bind the member through a constructor parameter of the same name, give it a public " +
                "setter, declare a concrete type, or mark it ignored.");
        }
    }
}
