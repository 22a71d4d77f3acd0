using Cacheweave.Backends;
using Cacheweave.Interception;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace Cacheweave.Tests.Interception;

/// <summary>
/// A plain method over an in-memory backend reads it through <c>TryGetRemembered</c> instead of <c>GetAsync</c> (no
/// <c>ValueTask</c>, no generic interface dispatch, and no map lookup while the entry the key's handle found last time
/// is live). These pin that the shortcut answers exactly as the lookup it replaces.
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

    [Fact]
    public async Task Hits_of_every_shape_read_the_entry_as_it_is_now_after_it_was_replaced_or_removed_behind_the_proxy()
    {
        Real.FindAsync(1, Arg.Any<CancellationToken>()).Returns(new User(1, "Ada"), new User(1, "Ada again"));
        Real.FindValueAsync(1, Arg.Any<CancellationToken>()).Returns(new ValueTask<User?>(new User(1, "Ada")), new ValueTask<User?>(new User(1, "Ada again")));
        Real.Find(1).Returns(new User(1, "Ada"), new User(1, "Ada again"));
        var keys = _harness.Provider.GetRequiredService<ICacheKeyProvider>();
        var taskKey = keys.GetKey<IUserService>(s => s.FindAsync(1, default));
        var valueTaskKey = keys.GetKey<IUserService>(s => s.FindValueAsync(1, default));
        var syncKey = keys.GetKey<IUserService>(s => s.Find(1));

        // Each call's handle now remembers its entry.
        Assert.Equal("Ada", (await Proxy.FindAsync(1))!.Name);
        Assert.Equal("Ada", (await Proxy.FindValueAsync(1))!.Name);
        Assert.Equal("Ada", Proxy.Find(1)!.Name);
        Assert.Equal("Ada", (await Proxy.FindAsync(1))!.Name);

        // Written in place, then as a new entry (a time to live makes another kind of entry).
        await _harness.Backend.PutAsync<User?>(taskKey, new User(1, "in place"));
        await _harness.Backend.PutAsync<User?>(valueTaskKey, new User(1, "in place"));
        await _harness.Backend.PutAsync<User?>(syncKey, new User(1, "in place"));
        Assert.Equal("in place", (await Proxy.FindAsync(1))!.Name);
        Assert.Equal("in place", (await Proxy.FindValueAsync(1))!.Name);
        Assert.Equal("in place", Proxy.Find(1)!.Name);
        var withTtl = new CacheEntryOptions { TimeToLive = TimeSpan.FromHours(1) };
        await _harness.Backend.PutAsync<User?>(taskKey, new User(1, "new entry"), withTtl);
        await _harness.Backend.PutAsync<User?>(valueTaskKey, new User(1, "new entry"), withTtl);
        await _harness.Backend.PutAsync<User?>(syncKey, new User(1, "new entry"), withTtl);
        Assert.Equal("new entry", (await Proxy.FindAsync(1))!.Name);
        Assert.Equal("new entry", (await Proxy.FindValueAsync(1))!.Name);
        Assert.Equal("new entry", Proxy.Find(1)!.Name);

        // Removed: the next call runs the method again.
        await _harness.Backend.RemoveAsync(taskKey);
        await _harness.Backend.RemoveAsync(valueTaskKey);
        await _harness.Backend.RemoveAsync(syncKey);
        Assert.Equal("Ada again", (await Proxy.FindAsync(1))!.Name);
        Assert.Equal("Ada again", (await Proxy.FindValueAsync(1))!.Name);
        Assert.Equal("Ada again", Proxy.Find(1)!.Name);
        await Real.Received(2).FindAsync(1, Arg.Any<CancellationToken>());
        await Real.Received(2).FindValueAsync(1, Arg.Any<CancellationToken>());
        Real.Received(2).Find(1);
    }
}
