using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cacheweave.Diagnostics;
using Cacheweave.Tests.Infrastructure;

namespace Cacheweave.Tests.Diagnostics;

public sealed class HitAllocationTests
{
    private const int Calls = 10_000;

    [Fact]
    public async Task A_hit_allocates_no_more_while_the_meter_and_the_spans_are_listened_to()
    {
        using var plain = new TelemetryHarness();
        var unobserved = await BytesPerHitAsync(plain.Proxy);

        using var observed = new TelemetryHarness();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == observed.MeterFactory && instrument.Meter.Name == CacheweaveDiagnostics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        var measured = 0;
        meterListener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref measured));
        meterListener.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref measured));
        meterListener.Start();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CacheweaveDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(activityListener);

        var listened = await BytesPerHitAsync(observed.Proxy);
        meterListener.RecordObservableInstruments();

        Assert.True(measured >= 2, "The listener saw the miss's duration and the calls counter."); // the listener really listened
        Assert.True(listened <= unobserved, $"A hit allocated {listened} B while listened to, {unobserved} B otherwise.");
    }

    private static async Task<double> BytesPerHitAsync(IPriceList proxy)
    {
        // The miss, then a few hits so that the plan's reusable task and the thread's counter stripe exist.
        for (var i = 0; i < 10; i++)
        {
            await proxy.PriceAsync(4);
            await proxy.PriceValueAsync(4);
            proxy.Price(4);
        }

        return Allocations.MinBytesPerCall(
            () =>
            {
                _ = proxy.PriceAsync(4).Result;
                var pending = proxy.PriceValueAsync(4);
                _ = pending.Result;
                _ = proxy.Price(4);
            },
            Calls);
    }
}
