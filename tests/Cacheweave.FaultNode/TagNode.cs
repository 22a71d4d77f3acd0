using System.Globalization;
using Cacheweave.DependencyInjection;
using Cacheweave.Interception;
using Cacheweave.Tiers;
using Microsoft.Extensions.DependencyInjection;

namespace Cacheweave.FaultNode;

/// <summary>
/// The node of the tag tests (<c>--tags --redis H:P --prefix P --truth DIR</c>), driven over stdin/stdout:
/// <c>read ID</c> answers <c>value V</c> through the cached proxy; <c>race ID</c> arms the next call to hold its result
/// (it prints <c>started</c> once it has read the truth) and answers <c>raced V</c> when it returns; <c>stop</c> answers
/// <c>stopped</c> and exits. Prints <c>ready</c> once Redis takes writes.
/// </summary>
public static class TagNode
{
    public static async Task RunAsync(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        var source = new SlowableItemSource(values["truth"]);
        var services = new ServiceCollection();
        services.AddSingleton<IItemSource>(source);
        services.AddCacheweave(b => b.UseRedis(values["redis"], twoLevel: true, o => o.KeyPrefix = values["prefix"]));
        services.AddCachedProxy<IItemSource>();
        await using var provider = services.BuildServiceProvider();
        var proxy = provider.GetRequiredService<IItemSource>();
        var invalidator = provider.GetRequiredService<ICacheInvalidator>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await invalidator.InvalidateTagAsync("connect-probe") == CacheInvalidationResult.Pending)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Redis did not take an invalidation within 60 s.");
            }

            await Task.Delay(50);
        }

        Console.WriteLine("ready");
        var racing = new List<Task>();
        while (Console.ReadLine() is { } line)
        {
            var parts = line.Split(' ');
            switch (parts[0])
            {
                case "read":
                    Console.WriteLine($"value {await proxy.GetAsync(int.Parse(parts[1], CultureInfo.InvariantCulture))}");
                    break;
                case "race":
                    source.ArmRace();
                    var id = int.Parse(parts[1], CultureInfo.InvariantCulture);
                    racing.Add(Task.Run(async () => Console.WriteLine($"raced {await proxy.GetAsync(id)}")));
                    break;
                case "stop":
                    await Task.WhenAll(racing);
                    Console.WriteLine("stopped");
                    return;
            }
        }
    }
}
