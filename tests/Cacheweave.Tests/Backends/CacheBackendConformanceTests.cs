using Cacheweave.Backends;

namespace Cacheweave.Tests.Backends;

/// <summary>
/// The <see cref="ICacheBackend"/> contract, run by every backend: derive, return a fresh empty backend from
/// <see cref="CreateBackend"/>, and every test here runs against it. The tests use the contract only and never
/// depend on time, so serializing and remote tiers run them as they are.
/// </summary>
/// <remarks>
/// Each test gets its own backend, disposed afterwards when it is <see cref="IAsyncDisposable"/> or
/// <see cref="IDisposable"/>. The backend must have room for at least 1,000 entries. Values round-trip
/// through the tier, so reference types are compared by value, never by identity.
/// </remarks>
public abstract partial class CacheBackendConformanceTests : IAsyncLifetime
{
    /// <summary>
    /// A maximum value size that leaves room for the suite's 1 MiB value plus a serializer's header; serializing tiers
    /// under test set it, since their default maximum (1 MiB of payload) is just below.
    /// </summary>
    public const int LargeValueRoom = 4 * 1024 * 1024;

    private const int ConcurrentWriters = 8;
    private const int KeysPerWriter = 100;

    private ICacheBackend? _backend;

    /// <summary>The backend under test, created before each test.</summary>
    protected ICacheBackend Backend => _backend ?? throw new InvalidOperationException("The backend is created before each test.");

    public static TheoryData<string?> InvalidKeys => new() { null, string.Empty };

    /// <summary>Creates a fresh, empty backend with room for at least 1,000 entries.</summary>
    protected abstract ICacheBackend CreateBackend();

    public Task InitializeAsync()
    {
        _backend = CreateBackend();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        switch (_backend)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    [Fact]
    public async Task Get_of_a_key_never_written_is_a_miss()
    {
        var result = await Backend.GetAsync<string>("never-written");

        Assert.False(result.HasValue);
        Assert.Equal(CacheResult<string>.Miss, result);
    }

    [Fact]
    public async Task Put_then_get_returns_the_string()
    {
        await Backend.PutAsync("greeting", "hello");

        Assert.Equal(new CacheResult<string>("hello"), await Backend.GetAsync<string>("greeting"));
    }

    [Fact]
    public async Task Put_then_get_returns_the_int()
    {
        await Backend.PutAsync("answer", 42);
        await Backend.PutAsync("zero", 0);

        Assert.Equal(new CacheResult<int>(42), await Backend.GetAsync<int>("answer"));
        Assert.Equal(new CacheResult<int>(0), await Backend.GetAsync<int>("zero"));
    }

    [Fact]
    public async Task Put_then_get_returns_an_equal_record()
    {
        var order = new ConformanceOrder(7, "Ada Lovelace", 1843.25m);

        await Backend.PutAsync("order:7", order);

        var result = await Backend.GetAsync<ConformanceOrder>("order:7");
        Assert.True(result.HasValue);
        Assert.Equal(order, result.Value);
    }

    [Fact]
    public async Task Put_then_get_returns_an_equal_list()
    {
        List<int> primes = [2, 3, 5, 7, 11, 13];

        await Backend.PutAsync("primes", primes);

        var result = await Backend.GetAsync<List<int>>("primes");
        Assert.True(result.HasValue);
        Assert.Equal(primes, result.Value);
    }

    [Fact]
    public async Task A_cached_null_is_a_hit_with_a_null_value_not_a_miss()
    {
        await Backend.PutAsync<string?>("nothing", null);

        var cachedNull = await Backend.GetAsync<string?>("nothing");
        var miss = await Backend.GetAsync<string?>("something-else");

        Assert.True(cachedNull.HasValue);
        Assert.Null(cachedNull.Value);
        Assert.False(miss.HasValue);
        Assert.NotEqual(miss, cachedNull);
    }

    [Fact]
    public async Task A_large_value_round_trips_intact()
    {
        var payload = new byte[1024 * 1024];
        new Random(1234).NextBytes(payload);
        var text = string.Create(200_000, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + (i % 26));
            }
        });

        await Backend.PutAsync("blob", payload);
        await Backend.PutAsync("text", text);

        Assert.Equal(payload, (await Backend.GetAsync<byte[]>("blob")).Value);
        Assert.Equal(text, (await Backend.GetAsync<string>("text")).Value);
    }

    [Fact]
    public async Task Put_of_an_existing_key_replaces_its_value()
    {
        await Backend.PutAsync("colour", "red");
        await Backend.PutAsync("colour", "blue");

        Assert.Equal(new CacheResult<string>("blue"), await Backend.GetAsync<string>("colour"));
        Assert.Equal(1, await Backend.CountAsync());
    }

    [Fact]
    public async Task A_cached_null_can_be_replaced_by_a_value_and_back()
    {
        await Backend.PutAsync<string?>("maybe", null);
        await Backend.PutAsync<string?>("maybe", "now");
        Assert.Equal("now", (await Backend.GetAsync<string?>("maybe")).Value);

        await Backend.PutAsync<string?>("maybe", null);
        var result = await Backend.GetAsync<string?>("maybe");
        Assert.True(result.HasValue);
        Assert.Null(result.Value);
    }

    [Fact]
    public async Task Remove_of_a_present_key_returns_true_and_the_key_then_misses()
    {
        await Backend.PutAsync("doomed", 1);
        await Backend.PutAsync("kept", 2);

        Assert.True(await Backend.RemoveAsync("doomed"));

        Assert.False((await Backend.GetAsync<int>("doomed")).HasValue);
        Assert.Equal(new CacheResult<int>(2), await Backend.GetAsync<int>("kept"));
        Assert.Equal(1, await Backend.CountAsync());
    }

    [Fact]
    public async Task Remove_of_an_absent_key_returns_false()
    {
        await Backend.PutAsync("present", 1);

        Assert.False(await Backend.RemoveAsync("absent"));
        Assert.Equal(1, await Backend.CountAsync());
    }

    [Fact]
    public async Task Remove_twice_returns_true_then_false()
    {
        await Backend.PutAsync("once", 1);

        Assert.True(await Backend.RemoveAsync("once"));
        Assert.False(await Backend.RemoveAsync("once"));
    }

    [Fact]
    public async Task Remove_of_a_cached_null_returns_true()
    {
        await Backend.PutAsync<string?>("null-value", null);

        Assert.True(await Backend.RemoveAsync("null-value"));
        Assert.False((await Backend.GetAsync<string?>("null-value")).HasValue);
    }

    [Fact]
    public async Task A_removed_key_can_be_written_again()
    {
        await Backend.PutAsync("phoenix", "first");
        await Backend.RemoveAsync("phoenix");
        await Backend.PutAsync("phoenix", "second");

        Assert.Equal(new CacheResult<string>("second"), await Backend.GetAsync<string>("phoenix"));
    }

    [Fact]
    public async Task Clear_removes_every_entry()
    {
        for (var i = 0; i < 50; i++)
        {
            await Backend.PutAsync($"clear-{i}", i);
        }

        await Backend.ClearAsync();

        Assert.Equal(0, await Backend.CountAsync());
        for (var i = 0; i < 50; i++)
        {
            Assert.False((await Backend.GetAsync<int>($"clear-{i}")).HasValue);
        }
    }

    [Fact]
    public async Task The_backend_is_usable_after_clear()
    {
        await Backend.PutAsync("before", 1);
        await Backend.ClearAsync();

        await Backend.PutAsync("after", 2);

        Assert.Equal(new CacheResult<int>(2), await Backend.GetAsync<int>("after"));
        Assert.Equal(1, await Backend.CountAsync());
    }

    [Fact]
    public async Task Count_of_a_new_backend_is_zero()
    {
        Assert.Equal(0, await Backend.CountAsync());
    }

    [Fact]
    public async Task Count_counts_distinct_keys()
    {
        for (var i = 0; i < 10; i++)
        {
            await Backend.PutAsync($"count-{i}", i);
        }

        await Backend.PutAsync("count-3", 33);
        await Backend.PutAsync<string?>("count-null", null);

        Assert.Equal(11, await Backend.CountAsync());
    }

    [Fact]
    public async Task Keys_differing_only_in_case_are_distinct()
    {
        await Backend.PutAsync("Key", "upper");
        await Backend.PutAsync("key", "lower");
        await Backend.PutAsync("KEY", "shout");

        Assert.Equal("upper", (await Backend.GetAsync<string>("Key")).Value);
        Assert.Equal("lower", (await Backend.GetAsync<string>("key")).Value);
        Assert.Equal("shout", (await Backend.GetAsync<string>("KEY")).Value);
        Assert.False((await Backend.GetAsync<string>("kEy")).HasValue);
        Assert.Equal(3, await Backend.CountAsync());
    }

    [Fact]
    public async Task Keys_differing_in_whitespace_punctuation_or_script_are_distinct()
    {
        string[] keys = ["k", "k ", " k", "k:", "k\u00e9", "ke\u0301", "\u043a", "k\t", "\u00dfk", "ssk"];
        for (var i = 0; i < keys.Length; i++)
        {
            await Backend.PutAsync(keys[i], i);
        }

        for (var i = 0; i < keys.Length; i++)
        {
            Assert.Equal(new CacheResult<int>(i), await Backend.GetAsync<int>(keys[i]));
        }

        Assert.Equal(keys.Length, await Backend.CountAsync());
    }

    [Fact]
    public async Task A_long_key_works()
    {
        var key = new string('x', 4_000) + "end";

        await Backend.PutAsync(key, "long");

        Assert.Equal("long", (await Backend.GetAsync<string>(key)).Value);
        Assert.False((await Backend.GetAsync<string>(new string('x', 4_000))).HasValue);
    }

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task Get_with_a_null_or_empty_key_throws_ArgumentException_naming_the_key(string? key)
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Backend.GetAsync<string>(key!));

        Assert.Equal("key", error.ParamName);
    }

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task Put_with_a_null_or_empty_key_throws_ArgumentException_naming_the_key_and_stores_nothing(string? key)
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Backend.PutAsync(key!, "value"));

        Assert.Equal("key", error.ParamName);
        Assert.Equal(0, await Backend.CountAsync());
    }

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task Remove_with_a_null_or_empty_key_throws_ArgumentException_naming_the_key(string? key)
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Backend.RemoveAsync(key!));

        Assert.Equal("key", error.ParamName);
    }

    [Fact]
    public async Task Get_with_a_cancelled_token_is_cancelled()
    {
        await Backend.PutAsync("present", 1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Backend.GetAsync<int>("present", Cancelled()));
    }

    [Fact]
    public async Task Put_with_a_cancelled_token_is_cancelled_and_leaves_the_old_value()
    {
        await Backend.PutAsync("stays", "old");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Backend.PutAsync("stays", "new", null, Cancelled()));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Backend.PutAsync("never", "new", null, Cancelled()));

        Assert.Equal("old", (await Backend.GetAsync<string>("stays")).Value);
        Assert.False((await Backend.GetAsync<string>("never")).HasValue);
        Assert.Equal(1, await Backend.CountAsync());
    }

    [Fact]
    public async Task Remove_with_a_cancelled_token_is_cancelled_and_removes_nothing()
    {
        await Backend.PutAsync("stays", 1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Backend.RemoveAsync("stays", Cancelled()));

        Assert.Equal(new CacheResult<int>(1), await Backend.GetAsync<int>("stays"));
    }

    [Fact]
    public async Task Clear_with_a_cancelled_token_is_cancelled_and_clears_nothing()
    {
        await Backend.PutAsync("stays", 1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Backend.ClearAsync(Cancelled()));

        Assert.Equal(1, await Backend.CountAsync());
    }

    [Fact]
    public async Task Count_with_a_cancelled_token_is_cancelled()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Backend.CountAsync(Cancelled()));
    }

    [Fact]
    public async Task Concurrent_writers_of_distinct_keys_lose_no_write()
    {
        using var start = new Barrier(ConcurrentWriters);
        var writers = Enumerable.Range(0, ConcurrentWriters)
            .Select(writer => Task.Factory.StartNew(
                async () =>
                {
                    start.SignalAndWait();
                    for (var i = 0; i < KeysPerWriter; i++)
                    {
                        var key = ConcurrentKey(writer, i);
                        await Backend.PutAsync(key, ConcurrentValue(writer, i));
                        Assert.Equal(new CacheResult<string>(ConcurrentValue(writer, i)), await Backend.GetAsync<string>(key));
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).Unwrap())
            .ToArray();

        await Task.WhenAll(writers);

        for (var writer = 0; writer < ConcurrentWriters; writer++)
        {
            for (var i = 0; i < KeysPerWriter; i++)
            {
                Assert.Equal(new CacheResult<string>(ConcurrentValue(writer, i)), await Backend.GetAsync<string>(ConcurrentKey(writer, i)));
            }
        }

        Assert.Equal(ConcurrentWriters * KeysPerWriter, await Backend.CountAsync());
    }

    private static string ConcurrentKey(int writer, int index) => $"writer-{writer}:key-{index}";

    private static string ConcurrentValue(int writer, int index) => $"value of writer {writer}, key {index}";

    private static CancellationToken Cancelled() => new(canceled: true);

    /// <summary>A record value for the round-trip test; public so that serializing tiers can handle it.</summary>
    public sealed record ConformanceOrder(int Id, string Customer, decimal Total);
}
