using Cacheweave.Backends;
using Cacheweave.Serialization;
using Microsoft.Extensions.Logging;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace Cacheweave.Tests.Interception.Store;

/// <summary>A value the backend refuses is returned to the caller, not stored, logged and counted.</summary>
public sealed class RejectedValueTests : IDisposable
{
    private readonly ICacheBackend _backend = Substitute.For<ICacheBackend>();
    private readonly GuardedProxy _guarded;

    public RejectedValueTests()
    {
        _backend.GetAsync<int>(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<CacheResult<int>>(CacheResult<int>.Miss));
        _guarded = new GuardedProxy(_backend);
    }

    public void Dispose() => _guarded.Dispose();

    [Fact]
    public async Task A_Task_result_whose_store_fails_asynchronously_with_a_rejection_is_returned_logged_and_counted()
    {
        _backend.PutAsync(Arg.Any<string>(), Arg.Any<int>(), Arg.Any<CacheEntryOptions?>(), Arg.Any<CancellationToken>())
            .Returns(ci => ValueTask.FromException(Rejection(ci.ArgAt<string>(0))));

        Assert.Equal(10, await _guarded.Proxy.TaskAsync(1));
        Assert.Equal(10, await _guarded.Proxy.TaskAsync(1));

        await _guarded.Real.Received(2).TaskAsync(1);
        AssertReported(nameof(IGuardedService.TaskAsync), times: 2);
    }

    [Fact]
    public async Task A_ValueTask_result_whose_store_throws_a_rejection_is_returned_logged_and_counted()
    {
        _backend.PutAsync(Arg.Any<string>(), Arg.Any<int>(), Arg.Any<CacheEntryOptions?>(), Arg.Any<CancellationToken>())
            .Throws(ci => Rejection(ci.ArgAt<string>(0)));

        Assert.Equal(20, await _guarded.Proxy.ValueAsync(2));

        AssertReported(nameof(IGuardedService.ValueAsync), times: 1);
    }

    [Fact]
    public void A_synchronous_result_whose_store_throws_a_rejection_is_returned_logged_and_counted()
    {
        _backend.PutAsync(Arg.Any<string>(), Arg.Any<int>(), Arg.Any<CacheEntryOptions?>(), Arg.Any<CancellationToken>())
            .Throws(ci => Rejection(ci.ArgAt<string>(0)));

        Assert.Equal(30, _guarded.Proxy.Sync(3));
        Assert.Equal(30, _guarded.Proxy.Sync(3));

        _guarded.Real.Received(2).Sync(3);
        AssertReported(nameof(IGuardedService.Sync), times: 2);
    }

    [Fact]
    public async Task Another_backend_failure_still_reaches_the_caller()
    {
        _backend.PutAsync(Arg.Any<string>(), Arg.Any<int>(), Arg.Any<CacheEntryOptions?>(), Arg.Any<CancellationToken>())
            .Throws(new IOException("disk full"));

        await Assert.ThrowsAsync<IOException>(() => _guarded.Proxy.TaskAsync(4));
        Assert.Equal(0, _guarded.PlanOf(nameof(IGuardedService.TaskAsync)).RejectedCount);
    }

    private static CacheValueRejectedException Rejection(string key) =>
        new(key, CacheValueRejectionReason.TooLarge, "The value is larger than the tier's limit.");

    private void AssertReported(string method, int times)
    {
        Assert.Equal(times, _guarded.PlanOf(method).RejectedCount);
        var warnings = _guarded.Log.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning).ToList();
        Assert.Equal(times, warnings.Count);
        var key = (string)_backend.ReceivedCalls().First(c => c.GetMethodInfo().Name == nameof(ICacheBackend.PutAsync)).GetArguments()[0]!;
        Assert.All(warnings, w =>
        {
            Assert.Contains(method, w.Message, StringComparison.Ordinal);
            Assert.Contains(key, w.Message, StringComparison.Ordinal);
            Assert.Contains(nameof(CacheValueRejectionReason.TooLarge), w.Message, StringComparison.Ordinal);
        });
    }
}
