using System.Reflection;
using Castle.DynamicProxy;

namespace Cacheweave.Interception;

/// <summary>
/// Tells Castle to intercept only cached methods (and those marked <see cref="InvalidatesCacheAttribute"/>), so the proxy forwards every other method straight to the real
/// service without building an invocation.
/// </summary>
internal sealed class CachedMethodsOnlyHook : IProxyGenerationHook
{
    public static CachedMethodsOnlyHook Instance { get; } = new();

    private CachedMethodsOnlyHook()
    {
    }

    public bool ShouldInterceptMethod(Type type, MethodInfo methodInfo) =>
        CachedMethodSettings.IsCached(methodInfo) || InvalidatingMethodSettings.IsInvalidating(methodInfo);

    public void NonProxyableMemberNotification(Type type, MemberInfo memberInfo)
    {
    }

    public void MethodsInspected()
    {
    }

    // Castle caches proxy types by their generation options, hook included: every instance behaves alike.
    public override bool Equals(object? obj) => obj is CachedMethodsOnlyHook;

    public override int GetHashCode() => typeof(CachedMethodsOnlyHook).GetHashCode();
}
