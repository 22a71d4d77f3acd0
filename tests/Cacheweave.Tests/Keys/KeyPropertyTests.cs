using System.Reflection;
using Cacheweave.Keys;
using FsCheck;
using FsCheck.Fluent;

namespace Cacheweave.Tests.Keys;

/// <summary>
/// Generated arguments (strings of arbitrary UTF-16 code units, polymorphic records, nested lists, dictionaries and
/// sets, nulls) in an <see cref="object"/> parameter: equal values give equal keys, different values different keys.
/// The first compares 10,000 pairs of equal values, the second over 100,000 pairs of mostly different ones.
/// </summary>
public sealed class KeyPropertyTests
{
    private static readonly CacheKeyBuilder Find =
        new(typeof(IGraphService).GetMethod(nameof(IGraphService.FindAsync), BindingFlags.Public | BindingFlags.Instance)!, "IGraphService");

    [Fact]
    public void Equal_values_built_independently_give_equal_keys()
    {
        var pairs = 0;
        var property = Prop.ForAll(
            Arb.From(KeyArgumentSample.Any(depth: 3)),
            sample =>
            {
                // Built twice: new string instances, dictionaries and sets filled in opposite orders.
                Assert.Equal(Find.Build([sample.Build(reverse: false)]), Find.Build([sample.Build(reverse: true)]));
                pairs++;
            });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(10_000), property);

        Assert.True(pairs >= 10_000, $"only {pairs} pairs were compared");
    }

    [Fact]
    public void Keys_are_equal_exactly_when_the_values_are_equal()
    {
        var pairs = 0;
        var equalPairs = 0;
        var property = Prop.ForAll(
            Arb.From(from count in Gen.Choose(12, 16) from samples in KeyArgumentSample.Any(depth: 2).ArrayOf(count) select samples),
            samples =>
            {
                var keys = samples.Select(s => Find.Build([s.Build(reverse: false)])).ToArray();
                for (var i = 0; i < samples.Length; i++)
                {
                    for (var j = i + 1; j < samples.Length; j++)
                    {
                        var equalValues = string.Equals(samples[i].Canonical, samples[j].Canonical, StringComparison.Ordinal);
                        Assert.True(
                            equalValues == string.Equals(keys[i], keys[j], StringComparison.Ordinal),
                            $"{samples[i]} and {samples[j]}: values {(equalValues ? "equal" : "differ")}, keys {keys[i]} and {keys[j]}");
                        pairs++;
                        equalPairs += equalValues ? 1 : 0;
                    }
                }
            });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1_200), property);

        Assert.True(pairs >= 100_000, $"only {pairs} pairs were compared");
        Assert.True(equalPairs >= 1_000, $"only {equalPairs} pairs of equal values were generated");
    }
}
