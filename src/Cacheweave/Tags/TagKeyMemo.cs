using System.Collections.Concurrent;

namespace Cacheweave.Tags;

/// <summary>
/// Remembers the tag keys a template made, for templates whose only hole is a parameter of an immutable type with
/// value equality (a string, an integral number, a <see langword="bool"/>, a <see langword="char"/>, a
/// <see cref="Guid"/> or an enum): the same argument value always formats to the same key, so a tagged hit reads its
/// tag's version without formatting (and allocating) the key again. Other templates (several holes, a property of an
/// argument, which may change between calls) are not wrapped.
/// </summary>
/// <remarks>
/// The memo holds at most <see cref="Capacity"/> keys per template and empties itself when full, so a tag over
/// unbounded values costs a bounded amount of memory and at worst formats as before. A <see langword="null"/>
/// argument is not remembered (it formats as the empty hole).
/// </remarks>
internal sealed class TagKeyMemo
{
    /// <summary>How many keys one template remembers before it starts again.</summary>
    internal const int Capacity = 4_096;

    private static readonly HashSet<Type> ImmutableValueTypes =
    [
        typeof(string), typeof(bool), typeof(char), typeof(Guid),
        typeof(byte), typeof(sbyte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong),
    ];

    private readonly ConcurrentDictionary<object, string> _keys = new();
    private readonly Func<object?[], string> _format;
    private readonly int _position;

    private TagKeyMemo(Func<object?[], string> format, int position)
    {
        _format = format;
        _position = position;
    }

    /// <summary>How many keys the memo holds now; for tests.</summary>
    internal int Count => _keys.Count;

    /// <summary>
    /// Returns <paramref name="format"/> (the template compiled with its key prefix), remembering its results when
    /// the template allows it.
    /// </summary>
    public static Func<object?[], string> Wrap(TagTemplate template, Func<object?[], string> format)
    {
        var holes = template.Holes;
        if (holes.Count != 1 || holes[0].Property is not null || !IsImmutableValue(holes[0].Parameter.ParameterType))
        {
            return format;
        }

        return new TagKeyMemo(format, holes[0].Parameter.Position).KeyOf;
    }

    /// <summary>Whether values of <paramref name="type"/> are immutable, compare by value and format the same every time.</summary>
    internal static bool IsImmutableValue(Type type) => ImmutableValueTypes.Contains(type) || type.IsEnum;

    private string KeyOf(object?[] arguments)
    {
        var value = arguments[_position];
        if (value is null)
        {
            return _format(arguments);
        }

        if (_keys.TryGetValue(value, out var key))
        {
            return key;
        }

        key = _format(arguments);
        if (_keys.Count >= Capacity)
        {
            _keys.Clear();
        }

        _keys.TryAdd(value, key);
        return key;
    }
}
