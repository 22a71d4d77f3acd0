using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>
/// Base of the tests on the shared redis-server: one connection per test class instance, a key prefix of its own
/// per test, and a log collector.
/// </summary>
[Collection(RedisCollection.Name)]
public abstract class RedisTestBase : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _disposables = [];
    private ConnectionMultiplexer? _multiplexer;

    protected RedisTestBase(RedisServerFixture fixture)
    {
        Fixture = fixture;
        Prefix = $"test:{Guid.NewGuid():N}:";
    }

    protected RedisServerFixture Fixture { get; }

    protected string Prefix { get; }

    protected FakeLogCollector Logs { get; } = new();

    protected ConnectionMultiplexer Multiplexer => _multiplexer ??= Track(Fixture.Connect());

    protected IDatabase Database => Multiplexer.GetDatabase();

    protected FakeLogger<T> Logger<T>() => new(Logs);

    protected RedisBackend CreateRedisBackend(string? prefix = null, IConnectionMultiplexer? multiplexer = null) =>
        new(multiplexer ?? Multiplexer, new RedisBackendOptions { KeyPrefix = prefix ?? Prefix }, Logger<RedisBackend>());

    protected T Track<T>(T disposable)
        where T : IAsyncDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        for (var i = _disposables.Count - 1; i >= 0; i--)
        {
            await _disposables[i].DisposeAsync();
        }
    }
}
