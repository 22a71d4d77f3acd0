using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace Cacheweave.Tests.Interception;

public sealed class CachingInterceptorTests : IDisposable
{
    private readonly ProxyHarness<IUserService> _harness = new();

    private IUserService Real => _harness.Real;

    private IUserService Proxy => _harness.Proxy;

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Task_result_is_served_from_the_cache_on_the_second_call()
    {
        Real.FindAsync(1, Arg.Any<CancellationToken>()).Returns(new User(1, "Ada"));

        var first = await Proxy.FindAsync(1);
        var second = await Proxy.FindAsync(1);

        Assert.Equal(new User(1, "Ada"), first);
        Assert.Same(first, second);
        await Real.Received(1).FindAsync(1, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ValueTask_result_is_served_from_the_cache_on_the_second_call()
    {
        Real.FindValueAsync(1, Arg.Any<CancellationToken>()).Returns(new ValueTask<User?>(new User(1, "Ada")));

        var first = await Proxy.FindValueAsync(1);
        var second = await Proxy.FindValueAsync(1);

        Assert.Same(first, second);
        await Real.Received(1).FindValueAsync(1, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ValueTask_of_a_value_type_is_served_from_the_cache()
    {
        Real.CountValueAsync("ada").Returns(new ValueTask<int>(7));

        Assert.Equal(7, await Proxy.CountValueAsync("ada"));
        Assert.Equal(7, await Proxy.CountValueAsync("ada"));

        await Real.Received(1).CountValueAsync("ada");
    }

    [Fact]
    public void Synchronous_result_is_served_from_the_cache_on_the_second_call()
    {
        Real.Find(1).Returns(new User(1, "Ada"));

        var first = Proxy.Find(1);
        var second = Proxy.Find(1);

        Assert.Same(first, second);
        Real.Received(1).Find(1);
    }

    [Fact]
    public void Synchronous_value_type_result_is_served_from_the_cache()
    {
        Real.CountByName("ada").Returns(3);

        Assert.Equal(3, Proxy.CountByName("ada"));
        Assert.Equal(3, Proxy.CountByName("ada"));

        Real.Received(1).CountByName("ada");
    }

    [Fact]
    public async Task Different_arguments_are_different_entries()
    {
        Real.FindAsync(Arg.Any<int>(), Arg.Any<CancellationToken>()).Returns(ci => new User(ci.Arg<int>(), "u" + ci.Arg<int>()));

        var one = await Proxy.FindAsync(1);
        var two = await Proxy.FindAsync(2);
        _ = await Proxy.FindAsync(1);

        Assert.Equal(1, one!.Id);
        Assert.Equal(2, two!.Id);
        await Real.Received(1).FindAsync(1, Arg.Any<CancellationToken>());
        await Real.Received(1).FindAsync(2, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Null_Task_result_is_cached()
    {
        Real.FindAsync(404, Arg.Any<CancellationToken>()).Returns(Task.FromResult<User?>(null));

        Assert.Null(await Proxy.FindAsync(404));
        Assert.Null(await Proxy.FindAsync(404));

        await Real.Received(1).FindAsync(404, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Null_ValueTask_result_is_cached()
    {
        Real.FindValueAsync(404, Arg.Any<CancellationToken>()).Returns(new ValueTask<User?>((User?)null));

        Assert.Null(await Proxy.FindValueAsync(404));
        Assert.Null(await Proxy.FindValueAsync(404));

        await Real.Received(1).FindValueAsync(404, Arg.Any<CancellationToken>());
    }

    [Fact]
    public void Null_synchronous_result_is_cached()
    {
        Real.Find(404).Returns((User?)null);

        Assert.Null(Proxy.Find(404));
        Assert.Null(Proxy.Find(404));

        Real.Received(1).Find(404);
    }

    [Fact]
    public async Task Null_result_is_stored_as_a_cached_null_in_the_backend()
    {
        Real.FindAsync(404, Arg.Any<CancellationToken>()).Returns(Task.FromResult<User?>(null));

        _ = await Proxy.FindAsync(404);

        Assert.Equal(1, _harness.Backend.Count);
    }

    [Fact]
    public async Task Null_result_is_not_cached_when_CacheNulls_is_false()
    {
        Real.FindWithoutNullCachingAsync(404).Returns(Task.FromResult<User?>(null));

        Assert.Null(await Proxy.FindWithoutNullCachingAsync(404));
        Assert.Null(await Proxy.FindWithoutNullCachingAsync(404));

        await Real.Received(2).FindWithoutNullCachingAsync(404);
        Assert.Equal(0, _harness.Backend.Count);
    }

    [Fact]
    public void Null_synchronous_result_is_not_cached_when_CacheNulls_is_false()
    {
        Real.FindSyncWithoutNullCaching(404).Returns((User?)null);

        Assert.Null(Proxy.FindSyncWithoutNullCaching(404));
        Assert.Null(Proxy.FindSyncWithoutNullCaching(404));

        Real.Received(2).FindSyncWithoutNullCaching(404);
    }

    [Fact]
    public async Task Non_null_result_is_still_cached_when_CacheNulls_is_false()
    {
        Real.FindWithoutNullCachingAsync(1).Returns(new User(1, "Ada"));

        _ = await Proxy.FindWithoutNullCachingAsync(1);
        _ = await Proxy.FindWithoutNullCachingAsync(1);

        await Real.Received(1).FindWithoutNullCachingAsync(1);
    }

    [Fact]
    public async Task Faulted_task_is_not_cached_and_reaches_the_caller()
    {
        Real.FindAsync(1, Arg.Any<CancellationToken>()).Returns(
            Task.FromException<User?>(new TimeoutException("database timeout")),
            Task.FromResult<User?>(new User(1, "Ada")));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => Proxy.FindAsync(1));
        var retried = await Proxy.FindAsync(1);

        Assert.Equal("database timeout", error.Message);
        Assert.Equal(new User(1, "Ada"), retried);
        await Real.Received(2).FindAsync(1, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Exception_thrown_before_the_task_is_returned_is_not_cached()
    {
        Real.FindValueAsync(1, Arg.Any<CancellationToken>()).Returns(
            _ => throw new InvalidOperationException("boom"),
            _ => new ValueTask<User?>(new User(1, "Ada")));

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Proxy.FindValueAsync(1));
        Assert.Equal(new User(1, "Ada"), await Proxy.FindValueAsync(1));

        await Real.Received(2).FindValueAsync(1, Arg.Any<CancellationToken>());
        Assert.Equal(0, _harness.LockedKeys);
    }

    [Fact]
    public void Synchronous_exception_is_not_cached()
    {
        Real.Find(1).Returns(_ => throw new InvalidOperationException("boom"), _ => new User(1, "Ada"));

        Assert.Throws<InvalidOperationException>(() => Proxy.Find(1));
        Assert.Equal(new User(1, "Ada"), Proxy.Find(1));

        Real.Received(2).Find(1);
        Assert.Equal(0, _harness.LockedKeys);
    }

    [Fact]
    public async Task Method_without_Cached_passes_straight_through()
    {
        Real.UncachedAsync(1).Returns("fresh");

        Assert.Equal("fresh", await Proxy.UncachedAsync(1));
        Assert.Equal("fresh", await Proxy.UncachedAsync(1));

        await Real.Received(2).UncachedAsync(1);
        Assert.Equal(0, _harness.Backend.Count);
    }

    [Fact]
    public async Task Generic_method_caches_each_type_argument_separately()
    {
        Real.EchoAsync(1).Returns(1);
        Real.EchoAsync(1L).Returns(1L);
        Real.EchoAsync("1").Returns("1");

        Assert.Equal(1, await Proxy.EchoAsync(1));
        Assert.Equal(1L, await Proxy.EchoAsync(1L));
        Assert.Equal("1", await Proxy.EchoAsync("1"));
        Assert.Equal(1, await Proxy.EchoAsync(1));

        await Real.Received(1).EchoAsync(1);
        await Real.Received(1).EchoAsync(1L);
        await Real.Received(1).EchoAsync("1");
        Assert.Equal(3, _harness.Backend.Count);
    }

    [Fact]
    public async Task Overloads_with_equal_looking_arguments_are_different_entries()
    {
        Real.DescribeAsync(1).Returns("int");
        Real.DescribeAsync(1L).Returns("long");
        Real.DescribeAsync("1").Returns("string");

        Assert.Equal("int", await Proxy.DescribeAsync(1));
        Assert.Equal("long", await Proxy.DescribeAsync(1L));
        Assert.Equal("string", await Proxy.DescribeAsync("1"));

        Assert.Equal(3, _harness.Backend.Count);
    }

    [Fact]
    public async Task CancellationToken_argument_is_not_part_of_the_key()
    {
        Real.FindAsync(1, Arg.Any<CancellationToken>()).Returns(new User(1, "Ada"));
        using var cts = new CancellationTokenSource();

        _ = await Proxy.FindAsync(1, cts.Token);
        _ = await Proxy.FindAsync(1, CancellationToken.None);

        await Real.Received(1).FindAsync(1, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task NotPartOfKey_argument_does_not_split_entries()
    {
        Real.TraceAsync(1, Arg.Any<string>()).Returns("traced");

        _ = await Proxy.TraceAsync(1, "request-a");
        _ = await Proxy.TraceAsync(1, "request-b");

        await Real.Received(1).TraceAsync(1, Arg.Any<string>());
    }

    [Fact]
    public async Task Entry_expires_after_its_time_to_live()
    {
        Real.GreetingAsync(1).Returns("hello", "hello again");

        Assert.Equal("hello", await Proxy.GreetingAsync(1));
        _harness.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("hello", await Proxy.GreetingAsync(1));
        _harness.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("hello again", await Proxy.GreetingAsync(1));

        await Real.Received(2).GreetingAsync(1);
    }

    [Fact]
    public async Task Repeated_Task_hits_on_the_same_value_share_one_completed_task()
    {
        Real.FindAsync(1, Arg.Any<CancellationToken>()).Returns(new User(1, "Ada"));
        _ = await Proxy.FindAsync(1);

        var first = Proxy.FindAsync(1);
        var second = Proxy.FindAsync(1);

        Assert.True(first.IsCompletedSuccessfully);
        Assert.Same(first, second);
    }

    [Fact]
    public async Task Hit_on_a_different_value_gets_its_own_completed_task()
    {
        Real.FindAsync(Arg.Any<int>(), Arg.Any<CancellationToken>()).Returns(ci => new User(ci.Arg<int>(), "u"));
        _ = await Proxy.FindAsync(1);
        _ = await Proxy.FindAsync(2);

        var one = await Proxy.FindAsync(1);
        var two = await Proxy.FindAsync(2);

        Assert.Equal(1, one!.Id);
        Assert.Equal(2, two!.Id);
    }

    [Fact]
    public async Task Versioned_method_is_served_from_the_cache()
    {
        Real.SearchAsync("ada", Arg.Any<CancellationToken>()).Returns("found");

        Assert.Equal("found", await Proxy.SearchAsync("ada"));
        Assert.Equal("found", await Proxy.SearchAsync("ada"));

        await Real.Received(1).SearchAsync("ada", Arg.Any<CancellationToken>());
    }

    [Fact]
    public void Versioned_synchronous_method_is_served_from_the_cache()
    {
        Real.SearchSync("ada").Returns("found");

        Assert.Equal("found", Proxy.SearchSync("ada"));
        Assert.Equal("found", Proxy.SearchSync("ada"));

        Real.Received(1).SearchSync("ada");
    }

    [Fact]
    public async Task Argument_that_cannot_be_serialized_fails_naming_the_method_and_parameter()
    {
        var harness = new ProxyHarness<IOpaqueArgumentService>();
        using var _ = harness;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => harness.Proxy.LookupAsync(new Func<int>(() => 1)));

        Assert.Equal("filter", error.ParamName);
        Assert.Contains("IOpaqueArgumentService.LookupAsync", error.Message, StringComparison.Ordinal);
        await harness.Real.DidNotReceive().LookupAsync(Arg.Any<object>());
    }
}
