using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Cacheweave.Backends;
using Cacheweave.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Cacheweave.Benchmarks.Interception;

/// <summary>
/// The proxied hit of <see cref="CachedCallBenchmarks"/> with Cacheweave's telemetry listened to (<see cref="Observed"/>):
/// a <see cref="MeterListener"/> enabled on every instrument of the <c>Cacheweave</c> meter and an
/// <see cref="ActivityListener"/> sampling every span of the <c>Cacheweave</c> source, as an OpenTelemetry SDK exporting
/// both would. A hit is counted by a striped counter that is read only when the meter is collected, and emits no span,
/// so listening should change neither its time nor its allocations.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("cached-call-observed")]
public class ObservedCachedCallBenchmarks
{
    private static readonly string[] Regions = ["eu-west", "eu-north", "us-east", "ap-south"];

    private ServiceProvider? _services;
    private MeterListener? _meterListener;
    private ActivityListener? _activityListener;
    private IOrderService _cacheweave = null!;
    private int[] _customers = [];
    private string[] _regions = [];
    private Guid[] _ids = [];
    private int _next;

    /// <summary>How many different argument sets the calls cycle through.</summary>
    [Params(1, 1024)]
    public int DistinctCalls { get; set; }

    /// <summary>Whether the meter and the activity source are listened to.</summary>
    [Params(false, true)]
    public bool Observed { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        _customers = [.. Enumerable.Range(0, DistinctCalls).Select(i => 1_000 + i)];
        _regions = [.. Enumerable.Range(0, DistinctCalls).Select(i => Regions[i % Regions.Length])];
        _ids = [.. Enumerable.Range(0, DistinctCalls).Select(_ => new Guid(random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 16)))];

        if (Observed)
        {
            _meterListener = new MeterListener
            {
                InstrumentPublished = static (instrument, listener) =>
                {
                    if (instrument.Meter.Name == CacheweaveDiagnostics.MeterName)
                    {
                        listener.EnableMeasurementEvents(instrument);
                    }
                },
            };
            _meterListener.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
            _meterListener.SetMeasurementEventCallback<int>(static (_, _, _, _) => { });
            _meterListener.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
            _meterListener.Start();
            _activityListener = new ActivityListener
            {
                ShouldListenTo = static source => source.Name == CacheweaveDiagnostics.ActivitySourceName,
                Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            };
            ActivitySource.AddActivityListener(_activityListener);
        }

        var services = new ServiceCollection();
        // Room for the three methods' argument sets filled below, so that every measured call is a hit.
        var capacity = Math.Max(10_000, 4 * DistinctCalls);
        services.AddCacheweave(cacheweave => cacheweave.UseDefaultBackend(_ => new LruBackend(capacity)));
        services.AddCachedProxy<IOrderService, OrderService>();
        _services = services.BuildServiceProvider();
        _cacheweave = _services.GetRequiredService<IOrderService>();

        for (var i = 0; i < DistinctCalls; i++)
        {
            CacheweaveTask();
            CacheweaveValueTask();
            CacheweaveSync();
        }

        // An exporter collects now and then; once here, so that the observable instruments have been read.
        _meterListener?.RecordObservableInstruments();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _meterListener?.Dispose();
        _activityListener?.Dispose();
        _services?.Dispose();
    }

    [Benchmark]
    public Order CacheweaveTask()
    {
        var i = Next();
        return _cacheweave.GetOrderAsync(_customers[i], _regions[i], _ids[i]).GetAwaiter().GetResult();
    }

    [Benchmark]
    public Order CacheweaveValueTask()
    {
        var i = Next();
        var pending = _cacheweave.GetOrderValueAsync(_customers[i], _regions[i], _ids[i]);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public Order CacheweaveSync()
    {
        var i = Next();
        return _cacheweave.GetOrder(_customers[i], _regions[i], _ids[i]);
    }

    private int Next()
    {
        var i = _next;
        _next = i + 1 == DistinctCalls ? 0 : i + 1;
        return i;
    }
}
