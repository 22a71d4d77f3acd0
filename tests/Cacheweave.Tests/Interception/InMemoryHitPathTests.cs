using Cacheweave.Interception;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace Cacheweave.Tests.Interception;

/// <summary>
/// A plain method over an in-memory backend reads it through <c>TryGet</c> instead of <c>GetAsync</c> (no
/// <c>ValueTask</c>, no generic interface dispatch). These pin that the shortcut answers exactly as the lookup it replaces.
/// </summary>
public sealed class InMemoryHitPathTests : IDisposable
{
    private readonly ProxyHarness<IUserService> _harness = new();

    private IUserService Real => _harness.Real;

    private IUserService Proxy => _harness.Proxy;

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task A_Task_call_with_a_cancelled_token_is_cancelled_even_when_its_entry_is_cached()
    {
        Real.FindAsync(1, Arg.Any<CancellationToken>()).Returns(new User(1, "Ada"));
        await Proxy.FindAsync(1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Proxy.FindAsync(1, new CancellationToken(canceled: true)));

        await Real.Received(1).FindAsync(1, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_ValueTask_call_with_a_cancelled_token_is_cancelled_even_when_its_entry_is_cached()
    {
        Real.FindValueAsync(1, Arg.Any<CancellationToken>()).Returns(new ValueTask<User?>(new User(1, "Ada")));
        await Proxy.FindValueAsync(1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Proxy.FindValueAsync(1, new CancellationToken(canceled: true)));

        await Real.Received(1).FindValueAsync(1, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Hits_of_every_shape_are_counted_by_the_backend_once_each()
    {
        Real.FindAsync(1, Arg.Any<CancellationToken>()).Returns(new User(1, "Ada"));
        Real.FindValueAsync(1, Arg.Any<CancellationToken>()).Returns(new ValueTask<User?>(new User(1, "Ada")));
        Real.Find(1).Returns(new User(1, "Ada"));
        await Proxy.FindAsync(1);
        await Proxy.FindValueAsync(1);
        Proxy.Find(1);
        var before = _harness.Backend.Statistics.Hits;

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(new User(1, "Ada"), await Proxy.FindAsync(1));
            Assert.Equal(new User(1, "Ada"), await Proxy.FindValueAsync(1));
            Assert.Equal(new User(1, "Ada"), Proxy.Find(1));
        }

        Assert.Equal(before + 15, _harness.Backend.Statistics.Hits);
        await Real.Received(1).FindAsync(1, Arg.Any<CancellationToken>());
        await Real.Received(1).FindValueAsync(1, Arg.Any<CancellationToken>());
        Real.Received(1).Find(1);
    }

    [Fact]
    public async Task A_value_stored_under_the_key_as_another_type_fails_the_hit_as_the_lookup_would()
    {
        Real.CountValueAsync("ada").Returns(new ValueTask<int>(7));
        await Proxy.CountValueAsync("ada");
        var key = _harness.Provider.GetRequiredService<ICacheKeyProvider>().GetKey<IUserService>(s => s.CountValueAsync("ada"));
        await _harness.Backend.PutAsync(key, "not an int");

        await Assert.ThrowsAsync<InvalidCastException>(async () => await Proxy.CountValueAsync("ada"));
    }
}
