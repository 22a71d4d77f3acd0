using System.Linq.Expressions;
using System.Reflection;
using Cacheweave.Keys;

namespace Cacheweave.Interception;

/// <summary>Reads the method and arguments out of a lambda such as <c>s =&gt; s.GetUserAsync(42)</c>.</summary>
internal static class CallExpression
{
    /// <summary>Returns the called method (closed, when generic).</summary>
    /// <exception cref="ArgumentException">The body is not a call of a method on the lambda's parameter.</exception>
    public static MethodCallExpression Parse(LambdaExpression lambda, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(lambda, parameterName);
        var body = lambda.Body;
        while (body is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } conversion)
        {
            body = conversion.Operand;
        }

        if (body is MethodCallExpression call && call.Object is { } instance && StripConversions(instance) == lambda.Parameters[0])
        {
            return call;
        }

        throw new ArgumentException(
            $"'{lambda}' is not a call of a method on the lambda's parameter; write it as s => s.Method(arguments…).", parameterName);
    }

    /// <summary>
    /// Evaluates the arguments that enter the key, in parameter order; the others (cancellation tokens,
    /// <c>[NotPartOfKey]</c>) are left null.
    /// </summary>
    public static object?[] EvaluateKeyArguments(MethodCallExpression call)
    {
        var parameters = call.Method.GetParameters();
        var values = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            if (CacheKeyBuilder.IsPartOfKey(parameters[i]))
            {
                values[i] = Evaluate(call.Arguments[i]);
            }
        }

        return values;
    }

    private static Expression StripConversions(Expression expression)
    {
        while (expression is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } conversion)
        {
            expression = conversion.Operand;
        }

        return expression;
    }

    // Constants and captured variables, by far the common arguments, are read directly; anything else is
    // interpreted (not compiled: it runs once).
    private static object? Evaluate(Expression expression) => expression switch
    {
        ConstantExpression constant => constant.Value,
        MemberExpression { Member: FieldInfo field } member => field.GetValue(member.Expression is null ? null : Evaluate(member.Expression)),
        MemberExpression { Member: PropertyInfo property } member when property.GetIndexParameters().Length == 0 =>
            property.GetValue(member.Expression is null ? null : Evaluate(member.Expression)),
        _ => Expression.Lambda<Func<object?>>(Expression.Convert(expression, typeof(object))).Compile(preferInterpretation: true)(),
    };
}
