using Cacheweave.Backends;
using Cacheweave.Interception;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace Cacheweave.Tests.Interception;

public sealed class CacheInvalidatorTests : IDisposable
{
    private readonly ProxyHarness<IUserService> _harness = new();

    private IUserService Real => _harness.Real;

    private IUserService Proxy => _harness.Proxy;

    private ICacheInvalidator Invalidator => _harness.Invalidator;

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task InvalidateAsync_drops_exactly_that_call()
    {
        Real.FindAsync(Arg.Any<int>(), Arg.Any<CancellationToken>()).Returns(ci => new User(ci.Arg<int>(), "u"));
        await Proxy.FindAsync(1);
        await Proxy.FindAsync(2);

        Assert.True(await Invalidator.InvalidateAsync<IUserService>(s => s.FindAsync(1, default)));
        await Proxy.FindAsync(1);
        await Proxy.FindAsync(2);

        await Real.Received(2).FindAsync(1, Arg.Any<CancellationToken>());
        await Real.Received(1).FindAsync(2, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task InvalidateAsync_evaluates_captured_variables()
    {
        Real.FindAsync(Arg.Any<int>(), Arg.Any<CancellationToken>()).Returns(ci => new User(ci.Arg<int>(), "u"));
        var user = new User(42, "Ada");
        await Proxy.FindAsync(42);

        Assert.True(await Invalidator.InvalidateAsync<IUserService>(s => s.FindAsync(user.Id, CancellationToken.None)));
        Assert.Equal(0, _harness.Backend.Count);
    }

    [Fact]
    public async Task InvalidateAsync_handles_computed_arguments_and_value_returning_methods()
    {
        Real.CountByName("ada").Returns(3);
        Proxy.CountByName("ada");
        var name = "ADA";

        Assert.True(await Invalidator.InvalidateAsync<IUserService>(s => s.CountByName(name.ToLowerInvariant())));
        Proxy.CountByName("ada");

        Real.Received(2).CountByName("ada");
    }

    [Fact]
    public async Task InvalidateAsync_ignores_arguments_that_are_not_part_of_the_key()
    {
        Real.TraceAsync(1, Arg.Any<string>()).Returns("traced");
        await Proxy.TraceAsync(1, "request-a");

        Assert.True(await Invalidator.InvalidateAsync<IUserService>(s => s.TraceAsync(1, null!)));
    }

    [Fact]
    public async Task InvalidateAsync_drops_a_generic_method_call()
    {
        Real.EchoAsync(5).Returns(5);
        Real.EchoAsync(5L).Returns(5L);
        await Proxy.EchoAsync(5);
        await Proxy.EchoAsync(5L);

        Assert.True(await Invalidator.InvalidateAsync<IUserService>(s => s.EchoAsync(5)));
        await Proxy.EchoAsync(5);
        await Proxy.EchoAsync(5L);

        await Real.Received(2).EchoAsync(5);
        await Real.Received(1).EchoAsync(5L);
    }

    [Fact]
    public async Task InvalidateAsync_of_an_uncached_call_returns_false()
    {
        Assert.False(await Invalidator.InvalidateAsync<IUserService>(s => s.FindAsync(99, default)));
        Assert.False(await Invalidator.InvalidateAsync<IUserService>(s => s.SearchAsync("never", default)));
    }

    [Fact]
    public async Task InvalidateAsync_drops_a_call_of_a_versioned_method()
    {
        Real.SearchAsync("ada", Arg.Any<CancellationToken>()).Returns("found");
        await Proxy.SearchAsync("ada");

        Assert.True(await Invalidator.InvalidateAsync<IUserService>(s => s.SearchAsync("ada", default)));
        await Proxy.SearchAsync("ada");

        await Real.Received(2).SearchAsync("ada", Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task InvalidateAllAsync_drops_every_entry_of_a_versioned_method()
    {
        Real.SearchAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(ci => "found " + ci.Arg<string>());
        Real.FindAsync(1, Arg.Any<CancellationToken>()).Returns(new User(1, "Ada"));
        await Proxy.SearchAsync("a");
        await Proxy.SearchAsync("b");
        await Proxy.FindAsync(1);

        await Invalidator.InvalidateAllAsync<IUserService>(s => s.SearchAsync(default!, default));
        await Proxy.SearchAsync("a");
        await Proxy.SearchAsync("b");
        await Proxy.FindAsync(1);

        await Real.Received(2).SearchAsync("a", Arg.Any<CancellationToken>());
        await Real.Received(2).SearchAsync("b", Arg.Any<CancellationToken>());
        await Real.Received(1).FindAsync(1, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task InvalidateAllAsync_reaches_synchronous_versioned_methods()
    {
        Real.SearchSync("a").Returns("found");
        Proxy.SearchSync("a");

        await Invalidator.InvalidateAllAsync<IUserService>(s => s.SearchSync(default!));
        Proxy.SearchSync("a");

        Real.Received(2).SearchSync("a");
    }

    [Fact]
    public async Task InvalidateAllAsync_of_an_unversioned_method_fails_explaining_how_to_enable_it()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await Invalidator.InvalidateAllAsync<IUserService>(s => s.FindAsync(0, default)));

        Assert.Contains("Versioned = true", error.Message, StringComparison.Ordinal);
        Assert.Contains("IUserService.FindAsync", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Versioned_method_sees_an_invalidation_made_through_another_container_sharing_the_backend()
    {
        // Two containers over one backend stand for two processes over one Redis.
        using var shared = new LruBackend(100);
        var realA = Substitute.For<IUserService>();
        var realB = Substitute.For<IUserService>();
        realA.SearchAsync("x", Arg.Any<CancellationToken>()).Returns("from A");
        realB.SearchAsync("x", Arg.Any<CancellationToken>()).Returns("from B");
        using var a = Container(realA, shared);
        using var b = Container(realB, shared);

        Assert.Equal("from A", await a.GetRequiredService<IUserService>().SearchAsync("x"));
        Assert.Equal("from A", await b.GetRequiredService<IUserService>().SearchAsync("x"));
        await a.GetRequiredService<ICacheInvalidator>().InvalidateAllAsync<IUserService>(s => s.SearchAsync("", default));

        Assert.Equal("from B", await b.GetRequiredService<IUserService>().SearchAsync("x"));
        Assert.Equal("from B", await a.GetRequiredService<IUserService>().SearchAsync("x"));
        await realB.Received(1).SearchAsync("x", Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Versioned_method_starts_over_with_a_new_version_when_its_version_entry_is_lost()
    {
        Real.SearchAsync("a", Arg.Any<CancellationToken>()).Returns("first", "second");
        Assert.Equal("first", await Proxy.SearchAsync("a"));

        // Lose the version entry (an eviction or a flush); the old entry must never be served again.
        await _harness.Backend.RemoveAsync(VersionKeyOf(nameof(IUserService.SearchAsync)));

        Assert.Equal("second", await Proxy.SearchAsync("a"));
        Assert.Equal("second", await Proxy.SearchAsync("a"));
    }

    [Fact]
    public async Task Concurrent_first_callers_of_a_versioned_method_agree_on_one_version()
    {
        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Real.SearchAsync("a", Arg.Any<CancellationToken>()).Returns(gate.Task);

        using var inFlight = new CountdownEvent(200);

        var calls = Enumerable.Range(0, 200).Select(_ => Task.Run(() =>
        {
            var call = Proxy.SearchAsync("a");
            inFlight.Signal();
            return call;
        })).ToArray();
        await Task.Run(() => inFlight.Wait());
        gate.SetResult("found");
        await Task.WhenAll(calls);

        await Real.Received(1).SearchAsync("a", Arg.Any<CancellationToken>());
        Assert.Equal(0, _harness.LockedKeys);
    }

    [Fact]
    public async Task Invalidating_a_method_without_Cached_fails()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await Invalidator.InvalidateAsync<IUserService>(s => s.UncachedAsync(1)));
    }

    [Fact]
    public async Task Invalidating_a_service_that_is_not_proxied_fails()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await Invalidator.InvalidateAsync<ICacheBackend>(b => b.CountAsync(default)));

        Assert.Contains("AddCachedProxy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expression_that_is_not_a_call_on_the_parameter_fails()
    {
        var other = Substitute.For<IUserService>();

        await Assert.ThrowsAsync<ArgumentException>(async () => await Invalidator.InvalidateAsync<IUserService>(s => other.FindAsync(1, default)));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Invalidator.InvalidateAsync<IUserService>(s => s));
    }

    private string VersionKeyOf(string method)
    {
        var interceptor = _harness.Provider.GetRequiredKeyedService<CachingInterceptor>(typeof(IUserService));
        var plan = (CachedMethodPlan)interceptor.PlanFor(typeof(IUserService).GetMethod(method)!);
        return plan.Keys.VersionKey;
    }

    private static ServiceProvider Container(IUserService real, ICacheBackend backend) =>
        new ServiceCollection()
            .AddCacheweave(b => b.UseDefaultBackend(_ => new NonOwningBackend(backend)))
            .AddSingleton(real)
            .AddCachedProxy<IUserService>()
            .BuildServiceProvider();
}
