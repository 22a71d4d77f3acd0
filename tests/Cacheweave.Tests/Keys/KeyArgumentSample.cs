using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Cacheweave.Tests.Keys;

/// <summary>
/// A generated argument: a description that is equal exactly when two arguments are equal values (<see cref="Canonical"/>),
/// and a way to build a fresh object graph for it, with dictionaries and sets filled in generation order or in reverse.
/// </summary>
public sealed class KeyArgumentSample
{
    private readonly Func<bool, object?> _build;

    private KeyArgumentSample(string canonical, Func<bool, object?> build)
    {
        Canonical = canonical;
        _build = build;
    }

    /// <summary>Equal for equal values: strings by code unit, dictionaries and sets by content, runtime types included.</summary>
    public string Canonical { get; }

    /// <summary>Strings of arbitrary UTF-16 code units, lone surrogates included, from a small alphabet so that near misses are common.</summary>
    public static Gen<string> Text { get; } =
        from length in Gen.Choose(0, 4)
        from units in Gen.Frequency(
            (6, Gen.Choose('a', 'c')),
            (3, Gen.Choose(0xD800, 0xD801)),
            (3, Gen.Choose(0xDC00, 0xDC01)),
            (1, Gen.Elements(0xFFFD, 0x00, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF)),
            (1, Gen.Choose(0, 0xFFFF))).ArrayOf(length)
        select new string([.. units.Select(u => (char)u)]);

    /// <summary>Any argument, nested up to <paramref name="depth"/> levels.</summary>
    public static Gen<KeyArgumentSample> Any(int depth)
    {
        var leaf = Gen.OneOf(
            Gen.Constant(new KeyArgumentSample("n", _ => null)),
            Gen.Choose(-1, 2).Select(i => new KeyArgumentSample("i" + i, _ => i)),
            Gen.Choose(-1, 2).Select(i => new KeyArgumentSample("l" + i, _ => (long)i)),
            Gen.Elements(SomeEnum.First, SomeEnum.Second).Select(e => new KeyArgumentSample("e" + (int)e, _ => e)),
            Text.Select(s => new KeyArgumentSample(Describe(s), _ => Copy(s))),
            Gen.Choose(0, 2).Select(i => new KeyArgumentSample($"BN({i})", _ => new ByName(i))),
            Gen.Choose(0, 2).Select(i => new KeyArgumentSample($"BI({i})", _ => new ById(i))),
            Pet,
            from name in Text from pet in OptionalPet select new KeyArgumentSample($"O({Describe(name)},{pet.Canonical})", f => new Owner(Copy(name), (Animal?)pet.Build(f))),
            Text.ArrayOf().Select(Set));
        if (depth <= 0)
        {
            return leaf;
        }

        var child = Gen.Sized(size => Any(Math.Min(depth - 1, size / 10)));
        return Gen.Frequency(
            (6, leaf),
            (2, from length in Gen.Choose(0, 3) from items in child.ArrayOf(length) select List(items)),
            (2, from length in Gen.Choose(0, 3) from keys in Text.ArrayOf(length) from values in child.ArrayOf(length) select Map(keys, values)),
            (1, child.Select(c => new KeyArgumentSample($"E({c.Canonical})", f => new Envelope(c.Build(f))))));
    }

    /// <summary>Builds a new object graph; with <paramref name="reverse"/> dictionaries and sets are filled back to front.</summary>
    public object? Build(bool reverse) => _build(reverse);

    public override string ToString() => Canonical;

    private static Gen<KeyArgumentSample> Pet { get; } = Gen.OneOf(
        Text.Select(name => new KeyArgumentSample($"A({Describe(name)})", _ => new Animal(Copy(name)))),
        from name in Text
        from breed in Gen.OneOf(Text.Select(b => (string?)b), Gen.Constant<string?>(null))
        select new KeyArgumentSample($"D({Describe(name)},{(breed is null ? "n" : Describe(breed))})", _ => new Dog(Copy(name), breed is null ? null : Copy(breed))));

    private static Gen<KeyArgumentSample> OptionalPet { get; } = Gen.Frequency((4, Pet), (1, Gen.Constant(new KeyArgumentSample("n", _ => null))));

    private static KeyArgumentSample List(KeyArgumentSample[] items) =>
        new($"L[{string.Join(",", items.Select(i => i.Canonical))}]", f => items.Select(i => i.Build(f)).ToList());

    private static KeyArgumentSample Map(string[] keys, KeyArgumentSample[] values)
    {
        var entries = new Dictionary<string, KeyArgumentSample>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Length; i++)
        {
            entries[keys[i]] = values[i];
        }

        var canonical = string.Join(";", entries.Select(e => $"{Describe(e.Key)}={e.Value.Canonical}").Order(StringComparer.Ordinal));
        return new KeyArgumentSample($"M{{{canonical}}}", reverse =>
        {
            var map = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (key, value) in reverse ? entries.Reverse() : entries)
            {
                map.Add(Copy(key), value.Build(reverse));
            }

            return map;
        });
    }

    private static KeyArgumentSample Set(string[] texts)
    {
        var distinct = texts.Distinct(StringComparer.Ordinal).ToArray();
        var canonical = string.Join(",", distinct.Select(Describe).Order(StringComparer.Ordinal));
        return new KeyArgumentSample($"S{{{canonical}}}", reverse => new HashSet<string>((reverse ? distinct.Reverse() : distinct).Select(Copy), StringComparer.Ordinal));
    }

    private static string Describe(string text)
    {
        var description = new StringBuilder("s[");
        foreach (var unit in text)
        {
            description.Append(((int)unit).ToString("X4", CultureInfo.InvariantCulture));
        }

        return description.Append(']').ToString();
    }

    // A new instance with the same code units, so that equal keys cannot come from sharing a string object.
    private static string Copy(string text) => new(text.AsSpan());
}
