using Cacheweave.DependencyInjection;
using Cacheweave.Interception;
using Cacheweave.Redis.Serialization;
using Cacheweave.Redis.Tests.Infrastructure;
using Cacheweave.Resilience;
using Cacheweave.Serialization;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Cacheweave.Redis.Tests;

/// <summary>Values the Redis tier cannot store faithfully are refused before anything is sent, named and counted (issue 8 points 7–11).</summary>
public sealed class ValueRejectionTests(RedisServerFixture fixture) : RedisTestBase(fixture)
{
    public class Animal
    {
        public string? Name { get; set; }
    }

    public sealed class Dog : Animal
    {
        public string? Breed { get; set; }
    }

    public sealed class Holder
    {
        public object? Payload { get; set; }
    }

    /// <summary>An ORM-style entity: the order knows its customer, the customer its orders.</summary>
    public sealed class Customer
    {
        public string? Name { get; set; }

        public List<PurchaseOrder> Orders { get; set; } = [];
    }

    public sealed class PurchaseOrder
    {
        public int Id { get; set; }

        public Customer? Customer { get; set; }
    }

    public sealed class Node
    {
        public int Value { get; set; }

        public Node? Next { get; set; }
    }

    public sealed class Invoice
    {
        public int Id { get; private set; }

        public string? Customer { get; set; }
    }

    public interface IInvoices
    {
        [Cached]
        Task<Invoice> GetAsync(int id);
    }

    private ConnectionMultiplexer? _admin;

    public static TheoryData<string> Serializers() => ValueRoundTripTests.Serializers();

    private static ICacheValueSerializer Serializer(string name) => name == "MessagePack"
        ? MessagePackCacheValueSerializer.Instance
        : SystemTextJsonCacheValueSerializer.Instance;

    private RedisBackend Backend(string serializer, int? maximumValueSize = null, int? compressionThreshold = RedisBackendOptions.DefaultCompressionThreshold) => new(
        Multiplexer,
        new RedisBackendOptions
        {
            KeyPrefix = Prefix,
            ValueSerializer = Serializer(serializer),
            MaximumValueSize = maximumValueSize ?? RedisBackendOptions.DefaultMaximumValueSize,
            CompressionThreshold = compressionThreshold,
        },
        Logger<RedisBackend>());

    private async Task<long> SetCommandsAsync()
    {
        _admin ??= Track(Fixture.Connect(static o => o.AllowAdmin = true));
        var info = await _admin.GetServer(Fixture.Server.EndPoint).InfoAsync("commandstats");
        var set = info.SelectMany(static group => group).FirstOrDefault(static pair => pair.Key == "cmdstat_set").Value;
        return set is null ? 0 : long.Parse(set.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task AssertRejectedAsync<T>(RedisBackend backend, string key, T value, CacheValueRejectionReason reason)
    {
        var setsBefore = await SetCommandsAsync();
        var rejectedBefore = backend.RejectedValues;

        var error = await Assert.ThrowsAsync<CacheValueRejectedException>(async () => await backend.PutAsync(key, value));

        Assert.Equal(reason, error.Reason);
        Assert.Equal(key, error.Key);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Equal(rejectedBefore + 1, backend.RejectedValues);
        Assert.False(await Database.KeyExistsAsync(Prefix + key));
        Assert.Equal(setsBefore, await SetCommandsAsync());
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task A_50_MB_result_is_refused_as_too_large_before_anything_is_sent(string serializer)
    {
        var backend = Backend(serializer);
        var huge = new string('x', 50 * 1024 * 1024);

        await AssertRejectedAsync(backend, "huge", huge, CacheValueRejectionReason.TooLarge);
        await AssertRejectedAsync(backend, "huge-bytes", new byte[50 * 1024 * 1024], CacheValueRejectionReason.TooLarge);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task The_maximum_value_size_is_configurable_and_counts_the_serialized_payload(string serializer)
    {
        var backend = Backend(serializer, maximumValueSize: 1_000, compressionThreshold: null);

        await backend.PutAsync("small", new string('s', 900));
        await AssertRejectedAsync(backend, "large", new string('l', 1_100), CacheValueRejectionReason.TooLarge);

        Assert.Equal(new string('s', 900), (await backend.GetAsync<string>("small")).Value);
    }

    [Fact]
    public async Task A_stored_value_larger_than_the_maximum_is_a_miss()
    {
        await Backend("MessagePack").PutAsync("big", new string('b', 5_000));

        var read = await Backend("MessagePack", maximumValueSize: 1_000).GetAsync<string>("big");

        Assert.False(read.HasValue);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task A_Dog_written_as_an_Animal_is_refused_rather_than_read_back_as_an_Animal(string serializer)
    {
        await AssertRejectedAsync<Animal>(Backend(serializer), "pet", new Dog { Name = "Rex", Breed = "Husky" }, CacheValueRejectionReason.RuntimeTypeMismatch);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task An_object_member_is_refused_rather_than_read_back_as_a_dictionary(string serializer)
    {
        await AssertRejectedAsync(Backend(serializer), "holder", new Holder { Payload = new Dog { Name = "Rex" } }, CacheValueRejectionReason.RuntimeTypeMismatch);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task An_entity_with_back_references_is_refused_as_too_deep_and_the_process_survives(string serializer)
    {
        var customer = new Customer { Name = "Ada" };
        customer.Orders.Add(new PurchaseOrder { Id = 1, Customer = customer });

        await AssertRejectedAsync(Backend(serializer), "customer", customer, CacheValueRejectionReason.TooDeep);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task A_million_node_chain_is_refused_as_too_deep(string serializer)
    {
        var head = new Node();
        for (var i = 0; i < 1_000_000; i++)
        {
            head = new Node { Value = i, Next = head };
        }

        await AssertRejectedAsync(Backend(serializer), "chain", head, CacheValueRejectionReason.TooDeep);
    }

    [Fact]
    public async Task A_value_the_serializer_cannot_handle_is_refused_naming_the_key()
    {
        await AssertRejectedAsync(Backend("SystemTextJson"), "delegate", new Func<int>(() => 1), CacheValueRejectionReason.Unserializable);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task A_result_type_with_a_private_setter_fails_registration_on_redis_naming_method_type_and_member(string serializer)
    {
        var services = new ServiceCollection();
        services.AddSingleton(NSubstitute.Substitute.For<IInvoices>());
        services.AddCacheweave(b => b.UseRedis(Fixture.Server.Configuration, configure: o => o.KeyPrefix = Prefix).UseValueSerializer(Serializer(serializer)));
        services.AddCachedProxy<IInvoices>();
        var provider = Track(services.BuildServiceProvider());

        var error = Assert.ThrowsAny<InvalidOperationException>(() =>
        {
            _ = provider.GetRequiredService<IInvoices>().GetAsync(1);
        });

        var message = error.ToString();
        Assert.Contains(nameof(IInvoices.GetAsync), message, StringComparison.Ordinal);
        Assert.Contains("Invoice.Id", message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseValueSerializer_selects_the_serializer_of_the_redis_tier_and_tier_options_override_it()
    {
        static ICacheValueSerializer? Selected(Action<CacheweaveBuilder> configure)
        {
            var services = new ServiceCollection();
            services.AddCacheweave(configure);
            using var provider = services.BuildServiceProvider();
            return Assert.IsAssignableFrom<ISerializingCacheBackend>(provider.GetRequiredService<Backends.ICacheBackend>()).ValueSerializer;
        }

        var configuration = Fixture.Server.Configuration;
        Assert.IsType<MessagePackCacheValueSerializer>(Selected(b => b.UseRedis(configuration)));
        Assert.IsType<SystemTextJsonCacheValueSerializer>(Selected(b => b.UseRedis(configuration, twoLevel: true).UseValueSerializer(new SystemTextJsonCacheValueSerializer())));
        Assert.IsType<MessagePackCacheValueSerializer>(Selected(b => b
            .UseValueSerializer(new SystemTextJsonCacheValueSerializer())
            .UseRedis(configuration, configure: o => o.ValueSerializer = new MessagePackCacheValueSerializer())));
    }

    [Fact]
    public async Task Large_values_are_stored_lz4_compressed_and_read_back()
    {
        var backend = Backend("MessagePack");
        var lines = Enumerable.Range(0, 2_000).Select(i => new ValueRoundTripTests.Line($"SKU-{i % 50:D5}", i % 7, 9.99m)).ToList();

        await backend.PutAsync("lines", lines);
        var stored = (byte[])(await Database.StringGetAsync(Prefix + "lines"))!;
        var read = await backend.GetAsync<List<ValueRoundTripTests.Line>>("lines");

        Assert.Equal(RedisValueCodec.Lz4Flag, stored[2]);
        await Backend("MessagePack", compressionThreshold: null).PutAsync("plain", lines);
        var plain = (byte[])(await Database.StringGetAsync(Prefix + "plain"))!;
        Assert.Equal(0, plain[2]);
        Assert.True(stored.Length < plain.Length / 2, $"{stored.Length} compressed bytes against {plain.Length}");
        Assert.Equal(lines, read.Value);
        Assert.Equal(lines, (await Backend("MessagePack", compressionThreshold: null).GetAsync<List<ValueRoundTripTests.Line>>("lines")).Value);
    }

    [Fact]
    public void The_resilient_and_two_level_wrappers_report_the_serializer_of_the_redis_tier()
    {
        var serializer = new SystemTextJsonCacheValueSerializer();
        var redis = new RedisBackend(Multiplexer, new RedisBackendOptions { KeyPrefix = Prefix, ValueSerializer = serializer });
        var resilient = new ResilientCacheBackend(redis);
        using var twoLevel = new Tiers.TwoLevelBackend(new Backends.LruBackend(10), redis);

        Assert.Same(serializer, ((ISerializingCacheBackend)redis).ValueSerializer);
        Assert.Same(serializer, resilient.ValueSerializer);
        Assert.Same(serializer, twoLevel.ValueSerializer);
        Assert.Null(new ResilientCacheBackend(new Backends.LruBackend(10)).ValueSerializer);
    }
}
