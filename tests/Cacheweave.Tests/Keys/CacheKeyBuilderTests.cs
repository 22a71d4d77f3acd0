using System.Reflection;
using System.Security.Cryptography;
using Cacheweave.Keys;
using FsCheck.Xunit;
using MessagePack;
using MessagePack.Resolvers;

namespace Cacheweave.Tests.Keys;

public sealed class CacheKeyBuilderTests
{
    private const string LookupIdentity =
        "Cacheweave.Tests.Keys.IKeyedService.LookupAsync(System.Int32,System.String,Cacheweave.Tests.Keys.Address,System.Threading.CancellationToken)" +
        ":System.Threading.Tasks.Task`1<System.String>";

    private static readonly CacheKeyBuilder Lookup = Builder(nameof(IKeyedService.LookupAsync));

    [Fact]
    public void Key_is_the_sha256_of_the_messagepack_of_identity_and_arguments()
    {
        var address = new Address("Main Street", 12);
        // A value tuple is a MessagePack array whose elements are written as their static types, as parameters are.
        var expectedBytes = MessagePackSerializer.Serialize((LookupIdentity, 42, "Ada", address), ContractlessStandardResolver.Options);
        var expected = "cw:IKeyedService:" + Convert.ToHexStringLower(SHA256.HashData(expectedBytes));

        var key = Lookup.Build([42, "Ada", address, CancellationToken.None]);

        Assert.Equal(expected, key);
    }

    [Fact]
    public void Key_of_a_large_argument_is_the_same_sha256_and_is_stable()
    {
        var address = new Address(new string('x', 4_000), 1);
        var expectedBytes = MessagePackSerializer.Serialize((LookupIdentity, 1, "Ada", address), ContractlessStandardResolver.Options);
        var expected = "cw:IKeyedService:" + Convert.ToHexStringLower(SHA256.HashData(expectedBytes));

        Assert.Equal(expected, Lookup.Build([1, "Ada", address, CancellationToken.None]));
        Assert.Equal(expected, Lookup.Build([1, "Ada", address, CancellationToken.None]));
    }

    [Fact]
    public void Keys_stay_correct_when_many_inputs_share_the_remembered_slots()
    {
        var address = new Address("s", 1);
        var first = Enumerable.Range(0, 1_000).Select(i => Lookup.Build([i, "n", address, CancellationToken.None])).ToArray();
        var again = Enumerable.Range(0, 1_000).Reverse().Select(i => Lookup.Build([i, "n", address, CancellationToken.None])).Reverse().ToArray();

        Assert.Equal(first, again);
        Assert.Equal(1_000, first.Distinct().Count());
        var expectedBytes = MessagePackSerializer.Serialize((LookupIdentity, 500, "n", address), ContractlessStandardResolver.Options);
        Assert.Equal("cw:IKeyedService:" + Convert.ToHexStringLower(SHA256.HashData(expectedBytes)), first[500]);
    }

    [Fact]
    public void Versioned_key_hashes_the_version_after_the_identity()
    {
        var address = new Address("Main Street", 12);
        var expectedBytes = MessagePackSerializer.Serialize((LookupIdentity, 7L, 42, "Ada", address), ContractlessStandardResolver.Options);
        var expected = "cw:IKeyedService:" + Convert.ToHexStringLower(SHA256.HashData(expectedBytes));

        Assert.Equal(expected, Lookup.Build(7, [42, "Ada", address, CancellationToken.None]));
        Assert.NotEqual(Lookup.Build(7, [42, "Ada", address, CancellationToken.None]), Lookup.Build(8, [42, "Ada", address, CancellationToken.None]));
    }

    // Golden keys: the same arguments must give these keys in every process, build and machine, because a shared
    // backend (Redis) is read by processes that computed its keys independently. A change here breaks every stored key.
    [Fact]
    public void Golden_key_of_simple_arguments_is_stable()
    {
        Assert.Equal(
            "cw:IKeyedService:3cf07e421cb32f5759267b125bd3ff388154abd48963ae247c70d635be0da3e7",
            Lookup.Build([42, "Ada", new Address("Main Street", 12), CancellationToken.None]));
    }

    [Fact]
    public void Golden_key_of_every_supported_argument_kind_is_stable()
    {
        var builder = Builder(nameof(IKeyedService.EverythingAsync));

        var key = builder.Build(EverythingArguments());

        Assert.Equal("cw:IKeyedService:d9a664d0fd6db3edd14ef913995ade60267b4aa243b88ba5524c4ccbcdfc595f", key);
    }

    [Fact]
    public void Golden_key_of_a_generic_method_is_stable()
    {
        var builder = new CacheKeyBuilder(typeof(IKeyedService).GetMethod(nameof(IKeyedService.GenericAsync))!.MakeGenericMethod(typeof(string)), "generic");

        Assert.Equal("cw:generic:09ce910dbc5aace5f513a238d47b248ebf5cc84e9087d84c1caa3b981d212f38", builder.Build(["hello"]));
    }

    [Fact]
    public void Equal_arguments_of_every_supported_kind_give_equal_keys()
    {
        var builder = Builder(nameof(IKeyedService.EverythingAsync));

        Assert.Equal(builder.Build(EverythingArguments()), builder.Build(EverythingArguments()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    public void Changing_any_one_argument_changes_the_key(int position)
    {
        var builder = Builder(nameof(IKeyedService.EverythingAsync));
        var changed = EverythingArguments();
        changed[position] = position switch
        {
            0 => 43,
            1 => 1L << 41,
            4 => "other",
            5 => Guid.Parse("00000000-0000-0000-0000-000000000001"),
            6 => new DateTime(2024, 2, 29, 12, 0, 1, DateTimeKind.Utc),
            7 => new DateTimeOffset(2024, 2, 29, 12, 0, 0, TimeSpan.FromHours(3)),
            9 => Shade.Light,
            10 => null,
            11 => new[] { 1, 2 },
            12 => new List<string> { "b", "a" },
            13 => new Dictionary<string, int> { ["a"] = 2 },
            14 => new Address("Main Street", 13),
            _ => new Coordinates { Latitude = 1, Longitude = 3 },
        };

        Assert.NotEqual(builder.Build(EverythingArguments()), builder.Build(changed));
    }

    [Property]
    public bool Keys_are_equal_exactly_when_arguments_are_equal(int leftId, string? leftName, int rightId, string? rightName)
    {
        var street = new Address("Main Street", 1);
        var left = Lookup.Build([leftId, leftName, street, CancellationToken.None]);
        var right = Lookup.Build([rightId, rightName, street, CancellationToken.None]);
        return (left == right) == (leftId == rightId && leftName == rightName);
    }

    [Fact]
    public void Key_has_the_documented_format()
    {
        var key = Lookup.Build([1, "a", new Address("s", 1), CancellationToken.None]);

        Assert.Matches("^cw:IKeyedService:[0-9a-f]{64}$", key);
    }

    [Fact]
    public void CancellationToken_arguments_are_left_out()
    {
        using var cts = new CancellationTokenSource();
        var address = new Address("s", 1);

        Assert.Equal(Lookup.Build([1, "a", address, CancellationToken.None]), Lookup.Build([1, "a", address, cts.Token]));
    }

    [Fact]
    public void NotPartOfKey_arguments_are_left_out()
    {
        var builder = Builder(nameof(IKeyedService.TracedAsync));

        Assert.Equal(builder.Build([1, "request-a"]), builder.Build([1, "request-b"]));
        Assert.NotEqual(builder.Build([1, "request-a"]), builder.Build([2, "request-a"]));
    }

    [Fact]
    public void Overloads_with_the_same_argument_value_have_different_keys()
    {
        var overloads = typeof(IKeyedService).GetMethods().Where(m => m.Name == nameof(IKeyedService.OverloadAsync)).ToArray();

        var keys = overloads.Select(m => new CacheKeyBuilder(m, "p").Build([m.GetParameters()[0].ParameterType == typeof(int) ? (object)1 : 1L])).ToArray();

        Assert.NotEqual(keys[0], keys[1]);
    }

    [Fact]
    public void Generic_method_instantiations_have_different_keys()
    {
        var open = typeof(IKeyedService).GetMethod(nameof(IKeyedService.GenericAsync))!;

        var asInt = new CacheKeyBuilder(open.MakeGenericMethod(typeof(int)), "p").Build([1]);
        var asLong = new CacheKeyBuilder(open.MakeGenericMethod(typeof(long)), "p").Build([1L]);

        Assert.NotEqual(asInt, asLong);
    }

    [Fact]
    public void Repeated_key_reuses_its_string()
    {
        var address = new Address("s", 1);

        var first = Lookup.Build([5, "x", address, CancellationToken.None]);
        var second = Lookup.Build([5, "x", address, CancellationToken.None]);

        Assert.Same(first, second);
    }

    [Fact]
    public void Parameter_type_without_a_formatter_fails_naming_the_method_and_parameter()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Builder(nameof(IKeyedService.ResourceAsync)));

        Assert.Contains("'resource'", error.Message, StringComparison.Ordinal);
        Assert.Contains("IKeyedService.ResourceAsync", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Argument_that_fails_to_serialize_names_the_method_and_parameter()
    {
        var builder = Builder(nameof(IKeyedService.FilterAsync));

        var error = Assert.Throws<ArgumentException>(() => builder.Build([new Func<int>(() => 1)]));

        Assert.Equal("filter", error.ParamName);
        Assert.Contains("IKeyedService.FilterAsync", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Argument_whose_type_has_no_formatter_gives_the_reason_not_messagepacks_type_initializer()
    {
        var builder = Builder(nameof(IKeyedService.FilterAsync));

        // MessagePack reports Range through a TypeInitializationException; the message carries what is inside it.
        var error = Assert.Throws<ArgumentException>(() => builder.Build([1..2]));

        Assert.Equal("filter", error.ParamName);
        Assert.DoesNotContain("type initializer", error.Message, StringComparison.Ordinal);
        Assert.Contains("System.Index", error.Message, StringComparison.Ordinal);
    }

    private static CacheKeyBuilder Builder(string name) =>
        new(typeof(IKeyedService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance)!, "IKeyedService");

    private static object?[] EverythingArguments() =>
    [
        42,
        1L << 40,
        0.25,
        true,
        "Ada Lovelace",
        Guid.Parse("9f0c2f4e-6d1a-4b8e-9a41-2b9f3c1d7e55"),
        new DateTime(2024, 2, 29, 12, 0, 0, DateTimeKind.Utc),
        new DateTimeOffset(2024, 2, 29, 12, 0, 0, TimeSpan.FromHours(2)),
        12.50m,
        Shade.Dark,
        7,
        new[] { 1, 2, 3 },
        new List<string> { "a", "b" },
        new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 },
        new Address("Main Street", 12, "4B"),
        new Coordinates { Latitude = 1, Longitude = 2 },
    ];
}
