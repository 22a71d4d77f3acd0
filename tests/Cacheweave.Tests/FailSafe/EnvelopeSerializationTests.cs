using System.Buffers;
using Cacheweave.FailSafe;
using Cacheweave.Serialization;

namespace Cacheweave.Tests.FailSafe;

/// <summary>The envelope is a value like any other: it passes the registration check and round-trips through both serializers.</summary>
public sealed class EnvelopeSerializationTests
{
    public static TheoryData<string> Serializers => new() { "MessagePack", "SystemTextJson" };

    [Theory]
    [MemberData(nameof(Serializers))]
    public void An_envelope_passes_the_round_trip_check_and_comes_back_as_written(string name)
    {
        var serializer = SerializerNamed(name);
        var envelope = new CacheEnvelope<Stock>(new Stock(3, 4), 638_000_000_000_000_000, 638_000_000_100_000_000, 638_000_000_050_000_000);

        Assert.True(serializer.CanRoundTrip(typeof(CacheEnvelope<Stock>), out var problem), problem);
        var read = RoundTrip(serializer, envelope);

        Assert.Equal(envelope.Value, read.Value);
        Assert.Equal(envelope.CreatedAtTicks, read.CreatedAtTicks);
        Assert.Equal(envelope.ExpiresAtTicks, read.ExpiresAtTicks);
        Assert.Equal(envelope.RetryAfterTicks, read.RetryAfterTicks);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public void An_envelope_of_a_cached_null_comes_back_with_a_null_value(string name)
    {
        var read = RoundTrip(SerializerNamed(name), new CacheEnvelope<Stock?>(null, 1, 2, 0));

        Assert.Null(read.Value);
        Assert.Equal(2, read.ExpiresAtTicks);
    }

    [Fact]
    public void An_envelope_of_a_type_that_does_not_round_trip_fails_the_check_too()
    {
        Assert.False(MessagePackCacheValueSerializer.Instance.CanRoundTrip(typeof(CacheEnvelope<object>), out var problem));
        Assert.Contains("System.Object", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_envelope_has_a_fingerprint_of_its_own_so_bare_values_and_envelopes_never_read_as_each_other()
    {
        Assert.NotEqual(TypeFingerprint.Of(typeof(Stock)), TypeFingerprint.Of(typeof(CacheEnvelope<Stock>)));
        Assert.NotEqual(TypeFingerprint.Of(typeof(CacheEnvelope<Stock>)), TypeFingerprint.Of(typeof(CacheEnvelope<string>)));
    }

    private static ICacheValueSerializer SerializerNamed(string name) =>
        name == "MessagePack" ? MessagePackCacheValueSerializer.Instance : SystemTextJsonCacheValueSerializer.Instance;

    private static T RoundTrip<T>(ICacheValueSerializer serializer, T value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        serializer.Serialize(buffer, value);
        Assert.True(serializer.TryDeserialize<T>(buffer.WrittenMemory, out var read, out var problem), problem);
        return read;
    }
}
