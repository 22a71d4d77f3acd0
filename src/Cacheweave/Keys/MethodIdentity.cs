using System.Reflection;
using System.Text;

namespace Cacheweave.Keys;

/// <summary>
/// Names a method the same way in every process and build: declaring type, method name, generic arguments,
/// parameter types and return type, with types written by namespace and name only (no assembly versions,
/// metadata tokens or hash codes).
/// </summary>
/// <example><c>Shop.IUserService.FindAsync(System.Int32,System.Threading.CancellationToken):System.Threading.Tasks.Task&lt;Shop.User&gt;</c></example>
internal static class MethodIdentity
{
    /// <summary>Returns the stable name of a closed (non-generic or constructed generic) method.</summary>
    /// <exception cref="ArgumentException">The method is an open generic definition.</exception>
    public static string Of(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.ContainsGenericParameters)
        {
            throw new ArgumentException($"The method '{method.Name}' is an open generic method; only closed methods have a cache identity.", nameof(method));
        }

        var text = new StringBuilder(128);
        AppendType(text, method.DeclaringType!);
        text.Append('.').Append(method.Name);
        if (method.IsGenericMethod)
        {
            AppendList(text, method.GetGenericArguments(), '<', '>');
        }

        AppendList(text, Array.ConvertAll(method.GetParameters(), static p => p.ParameterType), '(', ')');
        text.Append(':');
        AppendType(text, method.ReturnType);
        return text.ToString();
    }

    /// <summary>
    /// Returns the stable name of <paramref name="method"/> as a proxy of <paramref name="serviceType"/> calls it: the
    /// same as <see cref="Of(MethodInfo)"/> when <paramref name="serviceType"/> declares the method, and otherwise
    /// prefixed with the service's name and a slash (<c>Shop.IUserStore/Shop.IStore.CountAsync():…</c>), so that two
    /// services inheriting one method never share a key.
    /// </summary>
    /// <exception cref="ArgumentException">The method is an open generic definition.</exception>
    public static string Of(MethodInfo method, Type? serviceType)
    {
        var identity = Of(method);
        if (serviceType is null || serviceType == method.DeclaringType)
        {
            return identity;
        }

        var text = new StringBuilder(identity.Length + 64);
        AppendType(text, serviceType);
        return text.Append('/').Append(identity).ToString();
    }

    /// <summary>Returns the stable name of a type, e.g. <c>System.Collections.Generic.List&lt;System.Int32&gt;</c>.</summary>
    public static string Of(Type type)
    {
        var text = new StringBuilder(64);
        AppendType(text, type);
        return text.ToString();
    }

    private static void AppendList(StringBuilder text, Type[] types, char open, char close)
    {
        text.Append(open);
        for (var i = 0; i < types.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            AppendType(text, types[i]);
        }

        text.Append(close);
    }

    private static void AppendType(StringBuilder text, Type type)
    {
        if (type.IsByRef)
        {
            AppendType(text, type.GetElementType()!);
            text.Append('&');
        }
        else if (type.IsPointer)
        {
            AppendType(text, type.GetElementType()!);
            text.Append('*');
        }
        else if (type.IsArray)
        {
            AppendType(text, type.GetElementType()!);
            text.Append('[').Append(',', type.GetArrayRank() - 1).Append(']');
        }
        else if (type.IsGenericParameter)
        {
            text.Append(type.Name);
        }
        else if (type.IsConstructedGenericType)
        {
            // FullName of a constructed type carries assembly-qualified arguments (with versions); build it instead.
            text.Append(type.GetGenericTypeDefinition().FullName);
            AppendList(text, type.GetGenericArguments(), '<', '>');
        }
        else
        {
            text.Append(type.FullName ?? type.Name);
        }
    }
}
