using System.Reflection;
using Cacheweave.Keys;
using Cacheweave.Tests.Interception;
using NSubstitute;

namespace Cacheweave.Tests.Keys;

/// <summary>Issue 8 #3, #4 and equal-content collections: a key tells apart exactly the values a method can tell apart.</summary>
public sealed class KeyDescribesValueTests
{
    [Fact]
    public void Subtypes_in_a_non_sealed_parameter_give_distinct_keys()
    {
        var describe = Builder(nameof(IGraphService.DescribeAsync));

        AssertDistinct(
            describe.Build([new Dog("Rex", "Husky")]),
            describe.Build([new Dog("Rex", "Poodle")]),
            describe.Build([new Animal("Rex")]));
    }

    [Fact]
    public void Types_with_the_same_members_in_an_object_parameter_give_distinct_keys()
    {
        var find = Builder(nameof(IGraphService.FindAsync));

        AssertDistinct(find.Build([new ByName(42)]), find.Build([new ById(42)]));
    }

    [Fact]
    public void A_number_and_an_enum_member_of_that_number_in_an_object_parameter_give_distinct_keys()
    {
        var find = Builder(nameof(IGraphService.FindAsync));

        AssertDistinct(find.Build([1]), find.Build([SomeEnum.First]), find.Build([1L]), find.Build(["1"]));
    }

    [Fact]
    public void Subtypes_nested_in_records_lists_dictionaries_and_object_members_give_distinct_keys()
    {
        AssertDistinct(
            Builder(nameof(IGraphService.OwnerAsync)).Build([new Owner("Ada", new Dog("Rex", "Husky"))]),
            Builder(nameof(IGraphService.OwnerAsync)).Build([new Owner("Ada", new Animal("Rex"))]));
        AssertDistinct(
            Builder(nameof(IGraphService.PetsAsync)).Build([new List<Animal> { new Dog("Rex", "Husky") }]),
            Builder(nameof(IGraphService.PetsAsync)).Build([new List<Animal> { new Animal("Rex") }]));
        AssertDistinct(
            Builder(nameof(IGraphService.NamedPetsAsync)).Build([new Dictionary<string, Animal> { ["r"] = new Dog("Rex", "Poodle") }]),
            Builder(nameof(IGraphService.NamedPetsAsync)).Build([new Dictionary<string, Animal> { ["r"] = new Animal("Rex") }]));
        AssertDistinct(
            Builder(nameof(IGraphService.FindAsync)).Build([new Envelope(new ByName(42))]),
            Builder(nameof(IGraphService.FindAsync)).Build([new Envelope(new ById(42))]));
    }

    [Fact]
    public void A_value_of_the_declared_type_keeps_the_key_it_had_before_runtime_types_counted()
    {
        // The same bytes as MessagePack's own contractless writer, so keys of ordinary arguments did not change.
        var expected = MessagePack.MessagePackSerializer.Serialize(
            ("Cacheweave.Tests.Keys.IGraphService.DescribeAsync(Cacheweave.Tests.Keys.Animal):System.Threading.Tasks.Task`1<System.String>", new Animal("Rex")),
            MessagePack.Resolvers.ContractlessStandardResolver.Options);

        Assert.Equal(
            "cw:IGraphService:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(expected)),
            Builder(nameof(IGraphService.DescribeAsync)).Build([new Animal("Rex")]));
    }

    [Fact]
    public void Strings_with_lone_surrogates_give_distinct_keys()
    {
        var echo = Builder(nameof(IGraphService.EchoAsync));

        AssertDistinct(echo.Build(["a\uD800"]), echo.Build(["a\uDFFF"]), echo.Build(["a\uFFFD"]), echo.Build(["a"]));
    }

    [Fact]
    public void Strings_with_lone_surrogates_nested_in_records_lists_and_dictionary_keys_give_distinct_keys()
    {
        var owner = Builder(nameof(IGraphService.OwnerAsync));
        var texts = Builder(nameof(IGraphService.TextsAsync));
        var scores = Builder(nameof(IGraphService.ScoresAsync));

        AssertDistinct(owner.Build([new Owner("a\uD800", null)]), owner.Build([new Owner("a\uDFFF", null)]), owner.Build([new Owner("a\uFFFD", null)]));
        AssertDistinct(texts.Build([new List<string> { "a\uD800" }]), texts.Build([new List<string> { "a\uDFFF" }]), texts.Build([new List<string> { "a\uFFFD" }]));
        AssertDistinct(
            scores.Build([new Dictionary<string, int> { ["a\uD800"] = 1 }]),
            scores.Build([new Dictionary<string, int> { ["a\uDFFF"] = 1 }]),
            scores.Build([new Dictionary<string, int> { ["a\uFFFD"] = 1 }]));
    }

    [Fact]
    public async Task Strings_with_lone_surrogates_run_the_method_once_each_through_the_proxy()
    {
        using var harness = new ProxyHarness<IGraphService>();
        harness.Real.EchoAsync(Arg.Any<string>()).Returns(ci => ci.Arg<string>());

        foreach (var text in new[] { "a\uD800", "a\uDFFF", "a\uFFFD", "a\uD800", "a\uDFFF", "a\uFFFD" })
        {
            Assert.Equal(text, await harness.Proxy.EchoAsync(text));
        }

        await harness.Real.ReceivedWithAnyArgs(3).EchoAsync(default!);
    }

    [Fact]
    public async Task A_dog_and_an_animal_run_the_method_once_each_through_the_proxy()
    {
        using var harness = new ProxyHarness<IGraphService>();
        harness.Real.DescribeAsync(Arg.Any<Animal>()).Returns(ci => ci.Arg<Animal>().ToString());

        Assert.Equal(new Dog("Rex", "Husky").ToString(), await harness.Proxy.DescribeAsync(new Dog("Rex", "Husky")));
        Assert.Equal(new Animal("Rex").ToString(), await harness.Proxy.DescribeAsync(new Animal("Rex")));
        Assert.Equal(new Dog("Rex", "Poodle").ToString(), await harness.Proxy.DescribeAsync(new Dog("Rex", "Poodle")));

        await harness.Real.ReceivedWithAnyArgs(3).DescribeAsync(default!);
    }

    [Fact]
    public void Dictionaries_and_sets_with_equal_content_give_equal_keys_whatever_the_insertion_order()
    {
        var scores = Builder(nameof(IGraphService.ScoresAsync));
        var tags = Builder(nameof(IGraphService.TagsAsync));
        var readOnly = Builder(nameof(IGraphService.ReadOnlyScoresAsync));

        Assert.Equal(
            scores.Build([new Dictionary<string, int> { ["b"] = 2, ["a"] = 1 }]),
            scores.Build([new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }]));
        Assert.Equal(tags.Build([new HashSet<string> { "y", "x" }]), tags.Build([new HashSet<string> { "x", "y" }]));
        Assert.Equal(
            readOnly.Build([new Dictionary<string, int> { ["b"] = 2, ["a"] = 1 }]),
            readOnly.Build([new SortedDictionary<string, int> { ["a"] = 1, ["b"] = 2 }]));
    }

    [Fact]
    public void Lists_behind_a_list_interface_give_keys_by_their_elements()
    {
        var numbers = Builder(nameof(IGraphService.NumbersAsync));

        Assert.Equal(numbers.Build([new List<int> { 1, 2 }]), numbers.Build([new[] { 1, 2 }]));
        Assert.NotEqual(numbers.Build([new List<int> { 1, 2 }]), numbers.Build([new[] { 2, 1 }]));
    }

    private static CacheKeyBuilder Builder(string name) =>
        new(typeof(IGraphService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance)!, "IGraphService");

    private static void AssertDistinct(params string[] keys) => Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
}
