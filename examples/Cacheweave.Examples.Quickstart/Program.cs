using System.Diagnostics;
using Cacheweave.Backends;
using Cacheweave.DependencyInjection;
using Cacheweave.Examples.Quickstart;
using Cacheweave.Interception;
using Microsoft.Extensions.DependencyInjection;

// 1. Register: Cacheweave (an in-memory W-TinyLFU backend of 10,000 entries by default) and the service behind a cached proxy.
//    CACHEWEAVE_REDIS=127.0.0.1:6379 switches to Redis, with an in-memory L1 in front of it.
var redis = Environment.GetEnvironmentVariable("CACHEWEAVE_REDIS");
var services = new ServiceCollection();
services.AddCacheweave(b =>
{
    if (!string.IsNullOrEmpty(redis))
    {
        b.UseRedis(redis, twoLevel: true);
    }
});
services.AddSingleton<ExecutionLog>();
services.AddCachedProxy<IWeatherService, SlowWeatherService>();
await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
Console.WriteLine(string.IsNullOrEmpty(redis)
    ? $"backend: in-memory {provider.GetRequiredService<ICacheBackend>().GetType().Name} (the default)"
    : $"backend: Redis at {redis} with an in-memory L1");

var weather = provider.GetRequiredService<IWeatherService>();
var log = provider.GetRequiredService<ExecutionLog>();
var invalidator = provider.GetRequiredService<ICacheInvalidator>();

// 2. The first call runs the service; the second is served from the cache.
var clock = Stopwatch.StartNew();
var forecast = await weather.GetForecastAsync("Oslo");
var firstCall = clock.Elapsed;
const int hits = 100_000;

// Warm up for a second first: the JIT recompiles hot methods with full optimization only after they have run for a
// while (tiered compilation), and a measurement before that shows the start-up code, not the steady state.
var warmUp = Stopwatch.StartNew();
while (warmUp.Elapsed < TimeSpan.FromSeconds(1))
{
    await weather.GetForecastAsync("Oslo");
}

clock.Restart();
for (var i = 0; i < hits; i++)
{
    await weather.GetForecastAsync("Oslo");
}

var cachedCall = clock.Elapsed / hits;
Console.WriteLine($"first call:  {firstCall.TotalMilliseconds,10:F1} ms  {forecast}");
Console.WriteLine($"cached call: {cachedCall.TotalMicroseconds,10:F2} µs  (mean of {hits:N0} calls; the service ran {log.Count} time)");

// 3. A thousand concurrent callers of one key: the service runs once, the others wait for its result.
var before = log.Count;
var results = await Task.WhenAll(Enumerable.Range(0, 1_000).Select(_ => weather.GetForecastAsync("Bergen")));
Console.WriteLine($"1,000 concurrent callers: the service ran {log.Count - before} time, all got {results.Distinct().Single()}");

// 4. A null result is cached as well.
before = log.Count;
var missing = await weather.FindStationAsync("XXX");
var missingAgain = await weather.FindStationAsync("XXX");
Console.WriteLine($"cached null: {missing?.ToString() ?? "null"}, {missingAgain?.ToString() ?? "null"} (the service ran {log.Count - before} time)");

// 5. Expiry: GetAlertCountAsync is [Cached(TtlSeconds = 1)].
before = log.Count;
await weather.GetAlertCountAsync("Oslo");
await weather.GetAlertCountAsync("Oslo");
await Task.Delay(TimeSpan.FromSeconds(1.1));
await weather.GetAlertCountAsync("Oslo");
Console.WriteLine($"expiry: 3 calls around a 1.1 s pause on a 1 s time to live ran the service {log.Count - before} times");

// 6. Invalidation: drop one call's entry, computing exactly the key the proxy uses.
before = log.Count;
var dropped = await invalidator.InvalidateAsync<IWeatherService>(s => s.GetForecastAsync("Oslo", default));
await weather.GetForecastAsync("Oslo");
await weather.GetForecastAsync("Oslo");
Console.WriteLine($"invalidation: dropped={dropped}; the next 2 calls ran the service {log.Count - before} time");
