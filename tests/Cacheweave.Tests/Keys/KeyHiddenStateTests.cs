using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cacheweave.Interception;
using Cacheweave.Keys;
using Cacheweave.Tests.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace Cacheweave.Tests.Keys;

/// <summary>
/// Arguments whose content MessagePack's contractless writer does not see: JSON documents are keyed by their text, a
/// type that keeps its state in non-public fields with nothing public to describe it is refused, and a Hashtable's
/// hidden comparer counts like any dictionary's. Each case once shared a key across different values.
/// </summary>
public sealed class KeyHiddenStateTests
{
    [Fact]
    public void Json_elements_documents_and_nodes_with_different_content_give_different_keys()
    {
        AssertDistinct(Key(Element("{\"a\":1}")), Key(Element("{\"a\":2}")), Key(Element("[1]")));
        AssertDistinct(Key(JsonNode.Parse("{\"a\":1}")), Key(JsonNode.Parse("{\"a\":2}")));
        AssertDistinct(Key(JsonValue.Create(1)), Key(JsonValue.Create(2)));
        using var first = JsonDocument.Parse("{\"a\":1}");
        using var second = JsonDocument.Parse("{\"a\":2}");
        AssertDistinct(Key(first), Key(second));
    }

    [Fact]
    public void A_json_argument_is_keyed_by_its_compact_text_so_formatting_does_not_matter()
    {
        Assert.Equal(Key(Element("{\"a\":1,\"b\":[1,2]}")), Key(Element("{ \"a\" : 1,\n \"b\": [ 1, 2 ] }")));
        Assert.Equal(Key(JsonNode.Parse("{\"a\":1}")), Key(JsonNode.Parse("{ \"a\": 1 }")));
        Assert.Equal(Key(default(JsonElement)), Key<JsonElement?>(null));
    }

    [Fact]
    public void Json_in_an_object_parameter_is_tagged_with_its_runtime_type_and_keyed_by_its_text()
    {
        AssertDistinct(
            Key<object>(JsonNode.Parse("{\"a\":1}")!),
            Key<object>(JsonNode.Parse("{\"a\":2}")!),
            Key<object>(Element("{\"a\":1}")),
            Key<object>("{\"a\":1}"));
    }

    [Fact]
    public async Task A_cached_call_with_a_json_body_returns_the_result_for_that_body()
    {
        var real = new Echo();
        await using var provider = Proxy(real);
        var echo = provider.GetRequiredService<IEcho>();

        Assert.Equal("1", await echo.FieldAsync(JsonNode.Parse("{\"a\":1}")!.AsObject(), "a"));
        Assert.Equal("2", await echo.FieldAsync(JsonNode.Parse("{\"a\":2}")!.AsObject(), "a"));
        Assert.Equal("1", await echo.FieldAsync(JsonNode.Parse("{\"a\":1}")!.AsObject(), "a"));
        Assert.Equal(2, real.Calls);
    }

    [Fact]
    public void A_type_whose_state_is_only_in_private_fields_is_refused_at_registration_naming_method_parameter_and_type()
    {
        var services = new ServiceCollection();
        services.AddCacheweave(cacheweave => cacheweave.UseDefaultBackend(_ => new Cacheweave.Backends.LruBackend(10)));
        services.AddSingleton<IFiltered>(new Filtered());

        var thrown = Assert.Throws<InvalidOperationException>(() => services.AddCachedProxy<IFiltered>());

        Assert.Contains("'filter'", thrown.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(IFiltered.CountAsync), thrown.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(MinimumFilter), thrown.Message, StringComparison.Ordinal);
        Assert.Contains("non-public fields", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_type_in_an_object_parameter_fails_the_call_naming_the_parameter()
    {
        var filter = new MinimumFilter();
        filter.SetMinimum(5);

        var thrown = Assert.ThrowsAny<Exception>(() => Key<object>(filter));

        Assert.Contains("non-public fields", thrown.Message + thrown.InnerException?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Types_with_a_public_way_in_or_without_state_are_not_refused()
    {
        AssertDistinct(Key<object>(new Settable { Minimum = 1 }), Key<object>(new Settable { Minimum = 2 }));
        AssertDistinct(Key<object>(new Constructed(1)), Key<object>(new Constructed(2)));
        AssertDistinct(Key<object>(new Amount(1m)), Key<object>(new Amount(2m)));
        Assert.NotEmpty(Key<object>(new Stateless()));
    }

    [Fact]
    public void A_type_whose_only_public_property_is_computed_is_refused_even_with_a_constructor_parameter()
    {
        // Total is not named after the constructor's parameter, so the contractless writer leaves it out: Tally(3)
        // and Tally(5) would both be written as an empty map.
        var thrown = Assert.ThrowsAny<Exception>(() => Key<object>(new Tally(3)));

        Assert.Contains("non-public fields", thrown.Message + thrown.InnerException?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hashtables_with_equal_entries_and_different_comparers_give_different_keys()
    {
        AssertDistinct(
            Key<object>(new Hashtable { ["a"] = 1 }),
            Key<object>(new Hashtable(StringComparer.OrdinalIgnoreCase) { ["a"] = 1 }));
        Assert.Equal(Key<object>(new Hashtable { ["a"] = 1 }), Key<object>(new Hashtable(StringComparer.Ordinal) { ["a"] = 1 }));
    }

    private static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static byte[] Key<T>(T value) => GuardWriter.Write(value, CacheKeySerializer.Options);

    private static void AssertDistinct(params byte[][] keys) =>
        Assert.Equal(keys.Length, keys.Select(Convert.ToHexString).Distinct().Count());

    private static ServiceProvider Proxy(Echo real)
    {
        var services = new ServiceCollection();
        services.AddCacheweave(cacheweave => cacheweave.UseDefaultBackend(_ => new Cacheweave.Backends.LruBackend(100)));
        services.AddSingleton<IEcho>(real);
        services.AddCachedProxy<IEcho>();
        return services.BuildServiceProvider();
    }

    public interface IEcho
    {
        [Cached]
        Task<string> FieldAsync(JsonObject body, string name);
    }

    public interface IFiltered
    {
        [Cached]
        Task<int> CountAsync(MinimumFilter filter);
    }

    public sealed class Echo : IEcho
    {
        public int Calls { get; private set; }

        public Task<string> FieldAsync(JsonObject body, string name)
        {
            Calls++;
            return Task.FromResult(body[name]!.ToJsonString());
        }
    }

    public sealed class Filtered : IFiltered
    {
        public Task<int> CountAsync(MinimumFilter filter) => Task.FromResult(filter.Apply([1, 5, 9]));
    }

    /// <summary>Configured through a method: the minimum lives in a private field nothing public exposes.</summary>
    public sealed class MinimumFilter
    {
        private int _minimum;

        public void SetMinimum(int minimum) => _minimum = minimum;

        public int Apply(int[] values) => values.Count(value => value >= _minimum);
    }

    public sealed class Settable
    {
        public int Minimum { get; set; }
    }

    public sealed class Constructed(int minimum)
    {
        public int Minimum { get; } = minimum;
    }

    /// <summary>A value object over an explicit private field: its property is named after the constructor's parameter.</summary>
    public sealed class Amount(decimal value)
    {
        private readonly decimal _value = value;

        public decimal Value => _value;
    }

    /// <summary>Its only public property is computed from a private array its constructors fill.</summary>
    public sealed class Tally
    {
        private readonly int[] _items;

        public Tally() => _items = [];

        public Tally(int count) => _items = new int[count];

        public int Total => _items.Length;
    }

    public sealed class Stateless
    {
        public static int Ignored => 0;
    }
}
