using System.Buffers;
using Cacheweave.Serialization;

namespace Cacheweave.Tests.Serialization;

/// <summary>The serializers on their own: faithful round trips, refusals instead of silent changes, misses instead of exceptions.</summary>
public sealed class ValueSerializerTests
{
    public class Animal
    {
        public string? Name { get; set; }
    }

    public sealed class Dog : Animal
    {
        public string? Breed { get; set; }
    }

    public sealed class Node
    {
        public int Value { get; set; }

        public Node? Next { get; set; }
    }

    public sealed class Holder
    {
        public object? Payload { get; set; }
    }

    public sealed record Text(string Value, List<string> Values, Dictionary<string, int> ByName);

    private static byte[] Serialize<T>(ICacheValueSerializer serializer, T value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        serializer.Serialize(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    private static T RoundTrip<T>(ICacheValueSerializer serializer, T value)
    {
        var bytes = Serialize(serializer, value);
        Assert.True(serializer.TryDeserialize<T>(bytes, out var read, out var problem), problem);
        return read;
    }

    public static TheoryData<string> Serializers() => ValueSerializerCheckTests.Serializers();

    [Fact]
    public void MessagePack_keeps_lone_surrogates_apart_in_members_lists_and_dictionary_keys()
    {
        var serializer = MessagePackCacheValueSerializer.Instance;
        foreach (var text in new[] { "a\uD800", "a\uDFFF", "a\uFFFD", "\uDFFF\uD800", "ok \U0001F600" })
        {
            var read = RoundTrip(serializer, new Text(text, [text, "x"], new() { [text] = 1 }));

            Assert.Equal(text, read.Value);
            Assert.Equal([text, "x"], read.Values);
            Assert.Equal(text, Assert.Single(read.ByName).Key);
            Assert.Equal(text, RoundTrip(serializer, text));
            Assert.Equal([text], RoundTrip(serializer, new[] { text }));
        }
    }

    [Fact]
    public void System_Text_Json_refuses_a_lone_surrogate_instead_of_storing_a_replacement_character()
    {
        var error = Assert.Throws<CacheValueRejectedException>(() => Serialize(SystemTextJsonCacheValueSerializer.Instance, new Text("a\uD800", [], [])));

        Assert.Equal(CacheValueRejectionReason.Unserializable, error.Reason);
        Assert.Equal("a\U0001F600", RoundTrip(SystemTextJsonCacheValueSerializer.Instance, "a\U0001F600"));
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public void A_subtype_in_a_base_typed_value_is_refused_not_sliced(string name)
    {
        var serializer = ValueSerializerCheckTests.Serializer(name);

        var error = Assert.Throws<CacheValueRejectedException>(() => Serialize<Animal>(serializer, new Dog { Name = "Rex", Breed = "Husky" }));

        Assert.Equal(CacheValueRejectionReason.RuntimeTypeMismatch, error.Reason);
        Assert.Equal("Rex", RoundTrip(serializer, new Animal { Name = "Rex" }).Name);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public void A_dictionary_or_set_whose_comparer_would_be_lost_is_refused_and_one_on_the_default_comparer_round_trips(string name)
    {
        var serializer = ValueSerializerCheckTests.Serializer(name);

        foreach (var write in new Action[]
        {
            () => Serialize(serializer, new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["a"] = 1 }),
            () => Serialize(serializer, new HashSet<string>(StringComparer.InvariantCultureIgnoreCase) { "a" }),
            () => Serialize(serializer, new SortedSet<string>(StringComparer.Ordinal) { "a", "B" }),
            () => Serialize<IDictionary<string, int>>(serializer, new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)),
        })
        {
            var error = Assert.Throws<CacheValueRejectedException>(write);
            Assert.Equal(CacheValueRejectionReason.Unserializable, error.Reason);
            Assert.Contains("default comparer", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(1, RoundTrip(serializer, new Dictionary<string, int>(StringComparer.Ordinal) { ["a"] = 1 })["a"]);
        Assert.Equal(1, RoundTrip(serializer, new Dictionary<string, int> { ["a"] = 1 })["a"]);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public void An_object_member_holding_a_value_is_refused(string name)
    {
        var error = Assert.Throws<CacheValueRejectedException>(() => Serialize(ValueSerializerCheckTests.Serializer(name), new Holder { Payload = new Animal() }));

        Assert.Equal(CacheValueRejectionReason.RuntimeTypeMismatch, error.Reason);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public void A_cycle_is_refused_as_too_deep(string name)
    {
        var node = new Node { Value = 1 };
        node.Next = node;

        var error = Assert.Throws<CacheValueRejectedException>(() => Serialize(ValueSerializerCheckTests.Serializer(name), node));

        Assert.Equal(CacheValueRejectionReason.TooDeep, error.Reason);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public void A_million_node_chain_is_refused_without_exhausting_the_stack(string name)
    {
        var head = new Node();
        for (var i = 0; i < 1_000_000; i++)
        {
            head = new Node { Value = i, Next = head };
        }

        var error = Assert.Throws<CacheValueRejectedException>(() => Serialize(ValueSerializerCheckTests.Serializer(name), head));

        Assert.Equal(CacheValueRejectionReason.TooDeep, error.Reason);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public void A_chain_within_the_depth_limit_round_trips(string name)
    {
        var head = new Node { Value = 0 };
        for (var i = 1; i < 30; i++)
        {
            head = new Node { Value = i, Next = head };
        }

        var read = RoundTrip(ValueSerializerCheckTests.Serializer(name), head);

        for (var i = 29; i >= 0; i--)
        {
            Assert.Equal(i, read!.Value);
            read = read.Next;
        }

        Assert.Null(read);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public void Garbage_truncated_and_trailing_bytes_are_refused_without_an_exception(string name)
    {
        var serializer = ValueSerializerCheckTests.Serializer(name);
        var good = Serialize(serializer, new Text("hello", ["a"], new() { ["b"] = 2 }));
        var random = new byte[64];
        new Random(42).NextBytes(random);

        foreach (var bad in new[] { [], random, good[..(good.Length / 2)], [.. good, .. good], "{}"u8.ToArray(), [0xc0] })
        {
            Assert.False(serializer.TryDeserialize<Text>(bad, out _, out var problem));
            Assert.False(string.IsNullOrEmpty(problem));
        }
    }
}
