using Cacheweave.Tests.Interception;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Cacheweave.Tests.Diagnostics;

public sealed class CallLogTests
{
    [Fact]
    public async Task Ordinary_calls_log_nothing_above_debug_and_each_miss_logs_its_run()
    {
        var log = new FakeLogger();
        using var harness = new TelemetryHarness(services: s => s.AddSingleton(CapturedLog.FactoryOf(log)));

        for (var i = 0; i < 3; i++)
        {
            await harness.Proxy.PriceAsync(1);
            await harness.Proxy.PriceValueAsync(1);
            harness.Proxy.Price(1);
            await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Proxy.BrokenPriceAsync(1));
        }

        var records = log.Collector.GetSnapshot();
        Assert.All(records, r => Assert.True(r.Level <= LogLevel.Debug, $"{r.Level}: {r.Message}"));
        Assert.Equal(3, records.Count(r => r.Id.Id == 1080)); // one miss per cached method that succeeds
        var failures = records.Where(r => r.Id.Id == 1081).ToList();
        Assert.Equal(3, failures.Count); // a failure stores nothing, so every call of the broken method runs it
        Assert.All(failures, r => Assert.IsType<InvalidOperationException>(r.Exception));
        Assert.Equal(6, records.Count); // hits log nothing
    }
}
