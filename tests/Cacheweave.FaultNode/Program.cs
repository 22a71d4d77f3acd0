using System.Diagnostics;
using Cacheweave.DependencyInjection;
using Cacheweave.FaultNode;
using Cacheweave.Interception;
using Cacheweave.Tiers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// One node of a service sharing a Redis tier, driven by the fault tests over stdin/stdout:
//   stdout "ready"   once every key has been read through the cache
//   stdin  "bump"    (writer) raise every key's version in the source of truth, invalidate it, answer "bumped"
//   stdin  "stop"    stop calling, write the journal, answer "stopped" and exit
// Meanwhile `Callers` tasks call the cached proxy and journal every answer: all but two read the watched keys in turn,
// the other two make calls that always miss L1 (journalled under the key "echo").
if (args is ["--tags", ..])
{
    await TagNode.RunAsync(args[1..]);
    return;
}

var options = NodeOptions.Parse(args);
var journal = new Journal();
var services = new ServiceCollection();
services.AddSingleton<ILoggerFactory>(new LoggerFactory([new JournalLoggerProvider(journal)]));
var source = new FileVersionSource(options.TruthDirectory);
services.AddSingleton<IVersionSource>(source);
services.AddCacheweave(b => b.UseRedis(options.Redis, twoLevel: true, o => o.KeyPrefix = options.KeyPrefix));
services.AddCachedProxy<IVersionSource>();
await using var provider = services.BuildServiceProvider();

var resolving = Stopwatch.StartNew();
var proxy = provider.GetRequiredService<IVersionSource>();
var invalidator = provider.GetRequiredService<ICacheInvalidator>();
journal.Add($"resolve\t{Journal.Format(resolving.Elapsed.TotalMilliseconds)}");

// The tier connects in the background, and until Redis answers an invalidation stays pending. Once one reaches Redis,
// every key is read again so that Redis holds its value (and, with persistence on, writes it to disk).
var connecting = Stopwatch.StartNew();
while (true)
{
    var results = await Task.WhenAll(options.Keys.Select(key => invalidator.InvalidateWithResultAsync<IVersionSource>(s => s.GetVersionAsync(key)).AsTask()));
    if (results.All(result => result != CacheInvalidationResult.Pending))
    {
        break;
    }

    if (connecting.Elapsed > TimeSpan.FromSeconds(60))
    {
        throw new TimeoutException($"Redis at {options.Redis} did not take an invalidation within 60 s.");
    }

    await Task.Delay(50);
}

journal.Add($"connect\t{Journal.Format(connecting.Elapsed.TotalMilliseconds)}");
foreach (var key in options.Keys)
{
    await proxy.GetVersionAsync(key);
}

using var stop = new CancellationTokenSource();
var echoes = options.Id * 1_000_000_000L;
var callers = Enumerable.Range(0, options.Callers).Select(task => Task.Run(async () =>
{
    var echo = task >= options.Callers - 2;
    for (var call = task; !stop.IsCancellationRequested; call++)
    {
        var key = echo ? "echo" : options.Keys[call % options.Keys.Count];
        var start = Journal.Now;
        try
        {
            var version = echo ? await proxy.EchoAsync(Interlocked.Increment(ref echoes)) : await proxy.GetVersionAsync(key);
            journal.Read(start, Journal.Now, task, key, version);
        }
        catch (Exception ex)
        {
            journal.Error(start, Journal.Now, task, key, ex);
        }

        // A few hundred reads per second per task: enough to see every copy a node serves, little enough for 2 cores.
        await Task.Delay(2);
    }
})).ToArray();

Console.WriteLine("ready");
while (Console.ReadLine() is { } command)
{
    if (command == "bump" && options.IsWriter)
    {
        await Task.WhenAll(options.Keys.Select(key => Task.Run(async () =>
        {
            var version = FileVersionSource.Read(options.TruthDirectory, key) + 1;
            FileVersionSource.Write(options.TruthDirectory, key, version);
            var start = Journal.Now;
            var result = await invalidator.InvalidateWithResultAsync<IVersionSource>(s => s.GetVersionAsync(key));
            journal.Invalidate(start, Journal.Now, key, version, result.ToString());
        })));
        Console.WriteLine("bumped");
    }
    else if (command == "stop")
    {
        break;
    }
}

await stop.CancelAsync();
await Task.WhenAll(callers);
journal.Add($"runs\t{source.Runs}");
journal.WriteTo(options.JournalPath);
Console.WriteLine("stopped");
