using Cacheweave.Backends;
using Cacheweave.Interception;
using Cacheweave.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.FailSafe;

public sealed class GetOrCreateTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly LruBackend _backend;

    public GetOrCreateTests() => _backend = new LruBackend(1_000, _time);

    public void Dispose() => _backend.Dispose();

    [Fact]
    public async Task GetOrCreateAsync_runs_the_factory_once_per_key_under_concurrent_callers()
    {
        const int Keys = 4;
        var runs = new int[Keys];
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var start = new Barrier(64);

        var callers = Enumerable.Range(0, 64).Select(i => Task.Factory.StartNew(
            () =>
            {
                var key = i % Keys;
                start.SignalAndWait();
                return _backend.GetOrCreateAsync(
                    $"k{key}",
                    async _ =>
                    {
                        Interlocked.Increment(ref runs[key]);
                        await gate.Task;
                        return key * 10;
                    }).AsTask().GetAwaiter().GetResult();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();

        await Poll.UntilAsync(() => runs.Sum() == Keys);
        gate.SetResult();
        var results = await Task.WhenAll(callers).WaitAsync(Patience);

        Assert.All(runs, count => Assert.Equal(1, count));
        Assert.All(Enumerable.Range(0, 64), i => Assert.Equal(i % Keys * 10, results[i]));
    }

    [Fact]
    public async Task GetOrCreateAsync_serves_the_stale_value_when_the_factory_fails_after_expiry()
    {
        var options = new GetOrCreateOptions { TimeToLive = TimeSpan.FromSeconds(10), FailSafe = TimeSpan.FromMinutes(1), TimeProvider = _time };
        Assert.Equal("v1", await _backend.GetOrCreateAsync("k", _ => new ValueTask<string>("v1"), options));

        _time.Advance(TimeSpan.FromSeconds(11));
        var value = await _backend.GetOrCreateAsync<string>("k", _ => throw new InvalidOperationException("down"), options);

        Assert.Equal("v1", value);
    }

    [Fact]
    public async Task GetOrCreateAsync_does_not_run_the_factory_while_the_entry_is_fresh()
    {
        var runs = 0;
        var options = new GetOrCreateOptions { TimeToLive = TimeSpan.FromSeconds(10), TimeProvider = _time };
        ValueTask<int> Factory(CancellationToken _) => new(Interlocked.Increment(ref runs));

        Assert.Equal(1, await _backend.GetOrCreateAsync("k", Factory, options));
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(1, await _backend.GetOrCreateAsync("k", Factory, options));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, await _backend.GetOrCreateAsync("k", Factory, options));
    }

    [Fact]
    public async Task GetOrCreateAsync_honours_Unless_and_the_bypass_scope()
    {
        var runs = 0;
        var options = new GetOrCreateOptions { Unless = value => value is 0 };
        ValueTask<int> Zero(CancellationToken _) => new(0 * Interlocked.Increment(ref runs));
        ValueTask<int> Seven(CancellationToken _) => new(7 + (0 * Interlocked.Increment(ref runs)));

        await _backend.GetOrCreateAsync("zero", Zero, options);
        await _backend.GetOrCreateAsync("zero", Zero, options);
        Assert.Equal(2, runs);

        await _backend.GetOrCreateAsync("seven", Seven, options);
        using (CacheScope.Bypass())
        {
            await _backend.GetOrCreateAsync("seven", Seven, options);
        }

        await _backend.GetOrCreateAsync("seven", Seven, options);
        Assert.Equal(4, runs);
    }

    [Fact]
    public async Task GetOrCreateAsync_refuses_bad_arguments_naming_them()
    {
        ValueTask<int> Factory(CancellationToken _) => new(1);

        Assert.Equal("key", (await Assert.ThrowsAsync<ArgumentException>(() => _backend.GetOrCreateAsync("", Factory).AsTask())).ParamName);
        Assert.Equal("factory", (await Assert.ThrowsAsync<ArgumentNullException>(() => _backend.GetOrCreateAsync<int>("k", null!).AsTask())).ParamName);
        var noTtl = new GetOrCreateOptions { FailSafe = TimeSpan.FromMinutes(1) };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _backend.GetOrCreateAsync("k", Factory, noTtl).AsTask());
        Assert.Equal("options", error.ParamName);
        Assert.Contains("TimeToLive", error.Message, StringComparison.Ordinal);
        Assert.Equal("EagerRefresh", Assert.Throws<ArgumentOutOfRangeException>(() => new GetOrCreateOptions { EagerRefresh = 1 }).ParamName);
        Assert.Equal("FailSafe", Assert.Throws<ArgumentOutOfRangeException>(() => new GetOrCreateOptions { FailSafe = TimeSpan.FromSeconds(-1) }).ParamName);
    }
}
