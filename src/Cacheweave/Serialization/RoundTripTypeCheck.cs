using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using Cacheweave.Keys;

namespace Cacheweave.Serialization;

/// <summary>
/// Walks a result type the way a contract-free serializer sees it (public readable properties and public fields,
/// set again through setters or constructor parameters) and reports the first member that would not come back as it
/// went in.
/// </summary>
/// <remarks>
/// What counts as a problem: a stored member that can only be set privately, or not at all, and is bound by no
/// parameter of the constructor the serializer uses (it would come back as its default); a member declared as
/// <see cref="object"/>, an interface or an abstract class that the serializer cannot resolve without type names (it
/// would come back as a dictionary, or not at all). A read-only property without a backing field is computed from the
/// others and is not a problem.
/// </remarks>
internal sealed class RoundTripTypeCheck
{
    private const int MaxTypes = 1_000;

    private static readonly HashSet<Type> s_leafTypes =
    [
        typeof(string), typeof(decimal), typeof(Guid), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan),
        typeof(DateOnly), typeof(TimeOnly), typeof(byte[]), typeof(Uri), typeof(Version), typeof(System.Numerics.BigInteger),
        typeof(Half), typeof(Int128), typeof(UInt128),
    ];

    private readonly Func<Type, bool> _resolvesDeclaredSubtypes;
    private readonly Func<Type, ConstructorInfo[], ConstructorInfo?> _chooseConstructor;
    private readonly Func<MemberInfo, bool> _isIgnored;

    /// <param name="resolvesDeclaredSubtypes">Whether the serializer reads an abstract type or interface faithfully from a closed set of subtypes declared on it.</param>
    /// <param name="chooseConstructor">The public constructor the serializer creates the type with, among its public constructors; null when it has none it can use.</param>
    /// <param name="isIgnored">Whether the serializer leaves a member out.</param>
    public RoundTripTypeCheck(
        Func<Type, bool> resolvesDeclaredSubtypes,
        Func<Type, ConstructorInfo[], ConstructorInfo?> chooseConstructor,
        Func<MemberInfo, bool> isIgnored)
    {
        _resolvesDeclaredSubtypes = resolvesDeclaredSubtypes;
        _chooseConstructor = chooseConstructor;
        _isIgnored = isIgnored;
    }

    /// <summary>Returns what does not round-trip in <paramref name="type"/>, or <see langword="null"/>.</summary>
    public string? FindProblem(Type type)
    {
        var visited = new HashSet<Type>();
        return Visit(type, MethodIdentity.Of(type), visited);
    }

    /// <summary>Whether the type is a collection; its elements are checked instead of its members.</summary>
    internal static bool TryGetElementTypes(Type type, out Type[] elements)
    {
        if (type.IsArray)
        {
            elements = [type.GetElementType()!];
            return true;
        }

        if (!typeof(IEnumerable).IsAssignableFrom(type) || type == typeof(string))
        {
            elements = [];
            return false;
        }

        var interfaces = type.IsInterface ? [type, .. type.GetInterfaces()] : type.GetInterfaces();
        var dictionary = interfaces.FirstOrDefault(static i => i.IsGenericType &&
            (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)));
        if (dictionary is not null)
        {
            elements = dictionary.GetGenericArguments();
            return true;
        }

        var enumerable = interfaces.FirstOrDefault(static i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        elements = enumerable is not null ? enumerable.GetGenericArguments() : [typeof(object)];
        return true;
    }

    private string? Visit(Type type, string path, HashSet<Type> visited)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        // JSON types are stored as their text by both serializers (System.Text.Json natively, MessagePack through
        // JsonTextFormatter).
        if (type.IsPrimitive || type.IsEnum || s_leafTypes.Contains(type) || HiddenState.IsJson(type) || visited.Count > MaxTypes || !visited.Add(type))
        {
            return null;
        }

        if (type == typeof(object))
        {
            return $"{path} is declared as System.Object: a value read back would be a dictionary or a primitive, not the object written";
        }

        if (TryGetElementTypes(type, out var elements))
        {
            if (type.IsInterface && type.Namespace is not ("System.Collections.Generic" or "System.Collections.ObjectModel" or "System.Collections.Immutable"))
            {
                return $"{path} is declared as the interface {MethodIdentity.Of(type)}: a read cannot know which collection type to create";
            }

            foreach (var element in elements)
            {
                if (Visit(element, $"{path} (element {MethodIdentity.Of(element)})", visited) is { } problem)
                {
                    return problem;
                }
            }

            return null;
        }

        if (type.IsInterface || type.IsAbstract)
        {
            if (_resolvesDeclaredSubtypes(type))
            {
                return null;
            }

            var kind = type.IsInterface ? "an interface" : "an abstract class";
            return $"{path} is declared as {MethodIdentity.Of(type)}, {kind}: a read cannot know which type to create " +
                "(payloads carry no type names; declare the subtypes with [MessagePack.Union] and use the MessagePack serializer, or declare a concrete type)";
        }

        return VisitMembers(type, path, visited);
    }

    private string? VisitMembers(Type type, string path, HashSet<Type> visited)
    {
        var members = StoredMembers(type).ToList();
        var constructor = _chooseConstructor(type, type.GetConstructors(BindingFlags.Public | BindingFlags.Instance));
        if (constructor is null && !type.IsValueType)
        {
            return $"{MethodIdentity.Of(type)} (at {path}) has no public constructor the serializer can create it with";
        }

        var bound = new HashSet<string>(
            constructor?.GetParameters().Select(static p => p.Name ?? string.Empty) ?? [],
            StringComparer.OrdinalIgnoreCase);

        foreach (var member in members)
        {
            var memberPath = $"{MethodIdentity.Of(type)}.{member.Name}";
            if (!IsSettable(member) && !bound.Contains(member.Name))
            {
                var why = member is FieldInfo ? "is a read-only field" : "has no public setter";
                return $"{memberPath} {why} and no parameter of the constructor {Describe(constructor)} is named after it: it would come back as its default value";
            }

            if (Visit(MemberType(member), memberPath, visited) is { } problem)
            {
                return problem;
            }
        }

        return HiddenState.HidesState(type)
            ? $"{MethodIdentity.Of(type)} (at {path}) keeps its state in non-public fields and has no public field, settable " +
              "property or property named after a constructor parameter to store and restore it: it would come back as a fresh instance"
            : null;
    }

    private IEnumerable<MemberInfo> StoredMembers(Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0 && !_isIgnored(property) &&
                (property.SetMethod is not null || HasBackingField(property)))
            {
                yield return property;
            }
        }

        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!_isIgnored(field))
            {
                yield return field;
            }
        }
    }

    private static bool HasBackingField(PropertyInfo property) =>
        property.DeclaringType?.GetField($"<{property.Name}>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic) is { } field &&
        field.IsDefined(typeof(CompilerGeneratedAttribute));

    private static bool IsSettable(MemberInfo member) => member switch
    {
        PropertyInfo property => property.SetMethod is { IsPublic: true },
        FieldInfo field => !field.IsInitOnly,
        _ => false,
    };

    private static Type MemberType(MemberInfo member) => member is PropertyInfo property ? property.PropertyType : ((FieldInfo)member).FieldType;

    private static string Describe(ConstructorInfo? constructor) => constructor is null
        ? "(none)"
        : "(" + string.Join(", ", constructor.GetParameters().Select(static p => p.Name)) + ")";
}
