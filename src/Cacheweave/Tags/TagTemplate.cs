using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using Cacheweave.Keys;

namespace Cacheweave.Tags;

/// <summary>
/// A tag template such as <c>"user:{userId}"</c> or <c>"tenant:{filter.TenantId}"</c>, parsed against one method's
/// parameters: literal text, and holes naming a parameter or one public property of a parameter. <c>{{</c> and <c>}}</c>
/// stand for literal braces. Values are formatted culture-invariantly: <see cref="IFormattable"/> with the invariant
/// culture, dates and times in ISO 8601 (<c>"O"</c>), <see langword="null"/> as an empty string.
/// </summary>
/// <remarks>
/// Parsing checks everything (braces, names, properties) once, at registration; <see cref="Compile"/> turns the
/// template into an expression-tree delegate, so formatting a call's tag does no reflection.
/// </remarks>
internal sealed class TagTemplate
{
    private static readonly MethodInfo FormatReferenceMethod = typeof(TagTemplate).GetMethod(nameof(FormatReference), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly Type[] FormattableArguments = [typeof(string), typeof(IFormatProvider)];

    private readonly List<Part> _parts;

    private TagTemplate(MethodInfo method, string text, List<Part> parts)
    {
        Method = method;
        Text = text;
        _parts = parts;
    }

    /// <summary>The method whose arguments fill the holes.</summary>
    public MethodInfo Method { get; }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>The parameters the holes read.</summary>
    public IEnumerable<ParameterInfo> Parameters => Holes.Select(static hole => hole.Parameter);

    /// <summary>The template's holes, in order: the parameter each names, and the property of it, if any.</summary>
    public IReadOnlyList<(ParameterInfo Parameter, PropertyInfo? Property)> Holes =>
        [.. _parts.Where(static part => part.Parameter is not null).Select(static part => (part.Parameter!, part.Property))];

    /// <summary>Parses every template of <paramref name="templates"/> against <paramref name="method"/>'s parameters.</summary>
    /// <param name="method">The method whose parameters the holes name.</param>
    /// <param name="templates">The templates; <see langword="null"/> for none.</param>
    /// <param name="attributeName">The attribute the templates come from, for messages (<c>Cached</c>, <c>InvalidatesCache</c>).</param>
    /// <exception cref="InvalidOperationException">A template is empty, has unbalanced braces, or names an unknown parameter or property; the message names the method and the template.</exception>
    public static TagTemplate[] ParseAll(MethodInfo method, string[]? templates, string attributeName)
    {
        if (templates is null || templates.Length == 0)
        {
            return [];
        }

        var parsed = new TagTemplate[templates.Length];
        for (var i = 0; i < templates.Length; i++)
        {
            parsed[i] = Parse(method, templates[i], attributeName);
        }

        return parsed;
    }

    /// <summary>Parses <paramref name="template"/> against <paramref name="method"/>'s parameters.</summary>
    /// <exception cref="InvalidOperationException">The template cannot be filled from the method's arguments; the message names the method and the template.</exception>
    public static TagTemplate Parse(MethodInfo method, string? template, string attributeName)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (string.IsNullOrEmpty(template))
        {
            throw Misuse(method, template ?? "null", attributeName, "a tag template is empty; write one such as \"user:{userId}\"");
        }

        var parts = new List<Part>();
        var literal = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '}')
            {
                if (i + 1 < template.Length && template[i + 1] == '}')
                {
                    literal.Append('}');
                    i++;
                    continue;
                }

                throw Misuse(method, template, attributeName, $"the '}}' at position {i} closes no hole; write '}}}}' for a literal brace");
            }

            if (c != '{')
            {
                literal.Append(c);
                continue;
            }

            if (i + 1 < template.Length && template[i + 1] == '{')
            {
                literal.Append('{');
                i++;
                continue;
            }

            var close = template.IndexOf('}', i + 1);
            var nextOpen = template.IndexOf('{', i + 1);
            if (close < 0 || (nextOpen >= 0 && nextOpen < close))
            {
                throw Misuse(method, template, attributeName, $"the '{{' at position {i} is not closed; write '{{{{' for a literal brace");
            }

            if (literal.Length > 0)
            {
                parts.Add(new Part(literal.ToString(), null, null));
                literal.Clear();
            }

            parts.Add(Hole(method, template, attributeName, template[(i + 1)..close]));
            i = close;
        }

        if (literal.Length > 0)
        {
            parts.Add(new Part(literal.ToString(), null, null));
        }

        return new TagTemplate(method, template, parts);
    }

    /// <summary>
    /// Compiles <c>arguments =&gt; prefix + formatted tag</c> for calls of <see cref="Method"/> (the argument array of the
    /// call, one element per parameter).
    /// </summary>
    public Func<object?[], string> Compile(string prefix)
    {
        var arguments = Expression.Parameter(typeof(object?[]), "arguments");
        var pieces = new List<Expression>();
        var pendingLiteral = prefix;
        foreach (var part in _parts)
        {
            if (part.Literal is { } text)
            {
                pendingLiteral += text;
                continue;
            }

            if (pendingLiteral.Length > 0)
            {
                pieces.Add(Expression.Constant(pendingLiteral));
                pendingLiteral = string.Empty;
            }

            pieces.Add(HoleExpression(arguments, part.Parameter!, part.Property));
        }

        if (pendingLiteral.Length > 0 || pieces.Count == 0)
        {
            pieces.Add(Expression.Constant(pendingLiteral));
        }

        return Expression.Lambda<Func<object?[], string>>(Concat(pieces), arguments).Compile();
    }

    /// <summary>Formats the tag of a call (no prefix); compiles on every use, so for tests and one-off use only.</summary>
    public string Format(object?[] arguments) => Compile(string.Empty)(arguments);

    /// <inheritdoc />
    public override string ToString() => Text;

    // Boxed or unusual values: null, enums, nullable values, and types with no invariant formatting of their own.
    private static string FormatReference(object? value) => value switch
    {
        null => string.Empty,
        string text => text,
        DateTime dateTime => dateTime.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset dateTimeOffset => dateTimeOffset.ToString("O", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("O", CultureInfo.InvariantCulture),
        TimeOnly time => time.ToString("O", CultureInfo.InvariantCulture),
        Enum enumValue => enumValue.ToString(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static Part Hole(MethodInfo method, string template, string attributeName, string hole)
    {
        var names = hole.Split('.');
        if (names.Length > 2 || names.Any(static name => name.Length == 0 || name.Any(char.IsWhiteSpace)))
        {
            throw Misuse(method, template, attributeName,
                $"the hole '{{{hole}}}' is not a parameter name or parameter.Property (one level of properties is supported)");
        }

        var parameter = method.GetParameters().FirstOrDefault(p => p.Name == names[0]) ?? throw Misuse(method, template, attributeName,
            $"it names the parameter '{names[0]}', which {method.Name} does not have (its parameters: " +
            $"{string.Join(", ", method.GetParameters().Select(static p => p.Name))})");
        if (parameter.ParameterType.IsByRef || parameter.ParameterType.IsPointer || parameter.ParameterType.IsByRefLike)
        {
            throw Misuse(method, template, attributeName, $"the parameter '{parameter.Name}' is passed by reference and cannot fill a tag");
        }

        if (attributeName == "Cached" && !CacheKeyBuilder.IsPartOfKey(parameter))
        {
            throw Misuse(method, template, attributeName,
                $"the parameter '{parameter.Name}' is not part of the key ([NotPartOfKey] or a CancellationToken), so InvalidateAsync could not find the entry's tags");
        }

        if (names.Length == 1)
        {
            return new Part(null, parameter, null);
        }

        var property = parameter.ParameterType.GetProperty(names[1], BindingFlags.Public | BindingFlags.Instance);
        if (property is null && parameter.ParameterType.IsInterface)
        {
            property = parameter.ParameterType.GetInterfaces()
                .Select(type => type.GetProperty(names[1], BindingFlags.Public | BindingFlags.Instance))
                .FirstOrDefault(static found => found is not null);
        }

        if (property is null || property.GetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0)
        {
            throw Misuse(method, template, attributeName,
                $"it names the property '{names[1]}' of the parameter '{parameter.Name}', and {parameter.ParameterType.Name} has no public readable property of that name");
        }

        if (property.PropertyType.IsByRef || property.PropertyType.IsByRefLike)
        {
            throw Misuse(method, template, attributeName, $"the property '{names[1]}' of '{parameter.Name}' returns by reference and cannot fill a tag");
        }

        return new Part(null, parameter, property);
    }

    private static Expression HoleExpression(ParameterExpression arguments, ParameterInfo parameter, PropertyInfo? property)
    {
        var argument = Expression.ArrayIndex(arguments, Expression.Constant(parameter.Position));
        var typed = Expression.Convert(argument, parameter.ParameterType);
        if (property is null)
        {
            return FormatExpression(typed);
        }

        if (!parameter.ParameterType.IsValueType)
        {
            // A null argument has no properties: its holes format as empty, like a null value.
            var instance = Expression.Variable(parameter.ParameterType, "instance");
            return Expression.Block(
                typeof(string),
                [instance],
                Expression.Assign(instance, typed),
                Expression.Condition(
                    Expression.Equal(instance, Expression.Constant(null, parameter.ParameterType)),
                    Expression.Constant(string.Empty),
                    FormatExpression(Expression.Property(instance, property))));
        }

        if (Nullable.GetUnderlyingType(parameter.ParameterType) is { } underlying)
        {
            var instance = Expression.Variable(parameter.ParameterType, "instance");
            var declaring = property.DeclaringType == parameter.ParameterType ? underlying : property.DeclaringType!;
            return Expression.Block(
                typeof(string),
                [instance],
                Expression.Assign(instance, typed),
                Expression.Condition(
                    Expression.Property(instance, "HasValue"),
                    FormatExpression(Expression.Property(Expression.Convert(Expression.Property(instance, "Value"), declaring), property)),
                    Expression.Constant(string.Empty)));
        }

        return FormatExpression(Expression.Property(typed, property));
    }

    private static Expression FormatExpression(Expression value)
    {
        var type = value.Type;
        if (type == typeof(string))
        {
            return Expression.Coalesce(value, Expression.Constant(string.Empty));
        }

        var invariant = Expression.Constant(CultureInfo.InvariantCulture, typeof(IFormatProvider));
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeOnly))
        {
            return Expression.Call(value, type.GetMethod(nameof(ToString), FormattableArguments)!, Expression.Constant("O"), invariant);
        }

        // Value types with their own invariant formatting (numbers, Guid, TimeSpan, …) are formatted without boxing.
        if (type.IsValueType && !type.IsEnum && Nullable.GetUnderlyingType(type) is null && typeof(IFormattable).IsAssignableFrom(type) &&
            type.GetMethod(nameof(ToString), BindingFlags.Public | BindingFlags.Instance, FormattableArguments) is { } toString)
        {
            return Expression.Call(value, toString, Expression.Constant(null, typeof(string)), invariant);
        }

        return Expression.Call(FormatReferenceMethod, Expression.Convert(value, typeof(object)));
    }

    private static Expression Concat(List<Expression> pieces)
    {
        if (pieces.Count == 1)
        {
            return pieces[0];
        }

        if (pieces.Count <= 4)
        {
            var concat = typeof(string).GetMethod(nameof(string.Concat), Enumerable.Repeat(typeof(string), pieces.Count).ToArray())!;
            return Expression.Call(concat, pieces);
        }

        return Expression.Call(typeof(string).GetMethod(nameof(string.Concat), [typeof(string[])])!, Expression.NewArrayInit(typeof(string), pieces));
    }

    private static InvalidOperationException Misuse(MethodInfo method, string template, string attributeName, string reason) =>
        new($"[{attributeName}] on {method.DeclaringType?.FullName}.{method.Name}: the tag template \"{template}\" cannot be filled from the method's arguments: {reason}.");

    private sealed record Part(string? Literal, ParameterInfo? Parameter, PropertyInfo? Property);
}
