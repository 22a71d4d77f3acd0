using System.Collections;
using System.Reflection;

namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>
/// Compares two object graphs member by member (public properties and fields, collection elements in order,
/// dictionary entries by key, <see cref="DateTime.Kind"/> included), naming the first difference.
/// </summary>
public static class FieldByField
{
    public static void AssertEqual(object? expected, object? actual, string path = "value")
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {Show(expected)}, got {Show(actual)}");
            return;
        }

        // A collection declared as an interface may come back as another collection type with the same elements.
        var bothCollections = expected is IEnumerable and not string && actual is IEnumerable and not string;
        Assert.True(bothCollections || expected.GetType() == actual.GetType(), $"{path}: expected a {expected.GetType()}, got a {actual.GetType()}");
        switch (expected)
        {
            case string text:
                Assert.True(string.Equals(text, (string)actual, StringComparison.Ordinal), $"{path}: expected \"{text}\", got \"{actual}\"");
                return;
            case DateTime time:
                Assert.True(time == (DateTime)actual && time.Kind == ((DateTime)actual).Kind, $"{path}: expected {time:o} ({time.Kind}), got {(DateTime)actual:o} ({((DateTime)actual).Kind})");
                return;
            case DateTimeOffset offset:
                Assert.True(offset == (DateTimeOffset)actual && offset.Offset == ((DateTimeOffset)actual).Offset, $"{path}: expected {offset:o}, got {(DateTimeOffset)actual:o}");
                return;
            case IDictionary dictionary:
                var other = (IDictionary)actual;
                Assert.True(dictionary.Count == other.Count, $"{path}: expected {dictionary.Count} entries, got {other.Count}");
                foreach (DictionaryEntry entry in dictionary)
                {
                    Assert.True(other.Contains(entry.Key), $"{path}: the key {entry.Key} is missing");
                    AssertEqual(entry.Value, other[entry.Key], $"{path}[{entry.Key}]");
                }

                return;
            case IEnumerable sequence:
                var left = sequence.Cast<object?>().ToList();
                var right = ((IEnumerable)actual).Cast<object?>().ToList();
                Assert.True(left.Count == right.Count, $"{path}: expected {left.Count} elements, got {right.Count}");
                for (var i = 0; i < left.Count; i++)
                {
                    AssertEqual(left[i], right[i], $"{path}[{i}]");
                }

                return;
        }

        var type = expected.GetType();
        if (type.IsPrimitive || type.IsEnum || expected is decimal or Guid or TimeSpan)
        {
            Assert.True(expected.Equals(actual), $"{path}: expected {expected}, got {actual}");
            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(static p => p.GetIndexParameters().Length == 0))
        {
            AssertEqual(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
        }

        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            AssertEqual(field.GetValue(expected), field.GetValue(actual), $"{path}.{field.Name}");
        }
    }

    private static string Show(object? value) => value is null ? "null" : $"{value} ({value.GetType()})";
}
