using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cacheweave.Serialization;

namespace Cacheweave.Tests.Serialization;

/// <summary>
/// Values a serializing tier used to give back changed: JSON values (MessagePack stored none of their content, so a
/// <see cref="JsonElement"/> came back undefined) and types whose state only non-public fields hold (they came back as
/// fresh instances). Written directly through a serializer, as <c>RedisBackend.PutAsync</c> does without any
/// registration check.
/// </summary>
public sealed class ValueHiddenStateTests
{
    public static TheoryData<string> Serializers() => ValueSerializerCheckTests.Serializers();

    [Theory]
    [MemberData(nameof(Serializers))]
    public void Json_values_round_trip_as_their_content(string name)
    {
        var serializer = ValueSerializerCheckTests.Serializer(name);
        using var document = JsonDocument.Parse("{\"a\":[1,2.5,\"x\"],\"b\":null}");

        Assert.Equal("{\"a\":[1,2.5,\"x\"],\"b\":null}", RoundTrip(serializer, document.RootElement.Clone()).GetRawText());
        Assert.Equal("{\"a\":1}", RoundTrip(serializer, JsonNode.Parse("{\"a\":1}")!).ToJsonString());
        Assert.Equal("{\"a\":1}", RoundTrip(serializer, JsonNode.Parse("{\"a\":1}")!.AsObject()).ToJsonString());
        Assert.Equal("[1,2]", RoundTrip(serializer, JsonNode.Parse("[1,2]")!.AsArray()).ToJsonString());
        using var read = RoundTrip(serializer, JsonDocument.Parse("[true]"));
        Assert.Equal("[true]", read.RootElement.GetRawText());
        Assert.True(serializer.CanRoundTrip(typeof(JsonElement), out var problem), problem);
        Assert.True(serializer.CanRoundTrip(typeof(List<JsonNode>), out problem), problem);
    }

    [Fact]
    public void MessagePack_reads_json_of_another_node_kind_as_a_miss()
    {
        var serializer = MessagePackCacheValueSerializer.Instance;
        var bytes = Serialize(serializer, JsonNode.Parse("[1]")!.AsArray());

        Assert.False(serializer.TryDeserialize<JsonObject>(bytes, out _, out var problem));
        Assert.Contains("JsonArray", problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public void A_type_whose_state_only_private_fields_hold_is_refused_when_written_and_when_checked(string name)
    {
        var serializer = ValueSerializerCheckTests.Serializer(name);
        var filter = new MinimumFilter();
        filter.SetMinimum(5);

        var error = Assert.Throws<CacheValueRejectedException>(() => Serialize(serializer, filter));

        Assert.Equal(CacheValueRejectionReason.Unserializable, error.Reason);
        Assert.Contains("non-public fields", error.Message, StringComparison.Ordinal);
        Assert.False(serializer.CanRoundTrip(typeof(MinimumFilter), out _));
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public void A_type_whose_only_public_property_is_computed_is_refused_and_a_value_object_round_trips(string name)
    {
        var serializer = ValueSerializerCheckTests.Serializer(name);

        var error = Assert.Throws<CacheValueRejectedException>(() => Serialize(serializer, new Tally(3)));

        Assert.Equal(CacheValueRejectionReason.Unserializable, error.Reason);
        Assert.Equal(2.5m, RoundTrip(serializer, new Amount(2.5m)).Value);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public void A_type_the_registration_check_refuses_is_refused_when_written_directly(string name)
    {
        var serializer = ValueSerializerCheckTests.Serializer(name);

        var error = Assert.Throws<CacheValueRejectedException>(() => Serialize(serializer, PrivateSetter.Make(7)));

        Assert.Equal(CacheValueRejectionReason.Unserializable, error.Reason);
        Assert.Contains("PrivateSetter.Value", error.Message, StringComparison.Ordinal);
        Assert.Equal(7, RoundTrip(serializer, new Settable { Value = 7 }).Value);
    }

    private static byte[] Serialize<T>(ICacheValueSerializer serializer, T value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        serializer.Serialize(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    private static T RoundTrip<T>(ICacheValueSerializer serializer, T value)
    {
        Assert.True(serializer.TryDeserialize<T>(Serialize(serializer, value), out var read, out var problem), problem);
        return read;
    }

    public sealed class MinimumFilter
    {
        private int _minimum;

        public void SetMinimum(int minimum) => _minimum = minimum;

        public override string ToString() => "min " + _minimum;
    }

    public sealed class Tally
    {
        private readonly int[] _items;

        public Tally() => _items = [];

        public Tally(int count) => _items = new int[count];

        public int Total => _items.Length;
    }

    public sealed class Amount(decimal value)
    {
        private readonly decimal _value = value;

        public decimal Value => _value;
    }

    public sealed class PrivateSetter
    {
        public int Value { get; private set; }

        public static PrivateSetter Make(int value) => new() { Value = value };
    }

    public sealed class Settable
    {
        public int Value { get; set; }
    }
}
