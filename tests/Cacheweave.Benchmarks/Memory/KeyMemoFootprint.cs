using System.Globalization;
using Cacheweave.Benchmarks.Interception;
using Cacheweave.Keys;

namespace Cacheweave.Benchmarks.Memory;

/// <summary>
/// What the key memo costs per remembered argument set: a <see cref="CacheKeyBuilder"/> for
/// <see cref="IOrderService.GetOrderAsync"/> builds the keys of many distinct argument sets (all remembered), and the
/// heap is measured before and after. The argument objects exist before the baseline, so they are not counted.
/// </summary>
public static class KeyMemoFootprint
{
    /// <summary>The argument sets the measurement uses.</summary>
    public const int DefaultEntries = 100_000;

    /// <summary>Measures and writes the result to <paramref name="output"/>.</summary>
    public static void Print(TextWriter output, int entries = DefaultEntries)
    {
        ArgumentNullException.ThrowIfNull(output);
        var random = new Random(3);
        var arguments = Enumerable.Range(0, entries)
            .Select(i => new object?[] { 1_000 + i, i % 2 == 0 ? "eu-west" : "us-east", new Guid(random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 16)) })
            .ToArray();
        var method = typeof(IOrderService).GetMethod(nameof(IOrderService.GetOrderAsync))!;

        var retainedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var builder = new CacheKeyBuilder(method, "orders");
        var keyChars = 0L;
        foreach (var call in arguments)
        {
            keyChars += builder.Build(call).Length;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var retained = GC.GetTotalMemory(forceFullCollection: true) - retainedBefore;

        // Check that every set is remembered: a second pass allocates nothing.
        var againBefore = GC.GetAllocatedBytesForCurrentThread();
        foreach (var call in arguments)
        {
            builder.Build(call);
        }

        var again = GC.GetAllocatedBytesForCurrentThread() - againBefore;
        GC.KeepAlive(builder);
        GC.KeepAlive(arguments);

        var keyString = (22 + (2 * (keyChars / entries)) + 7) & ~7L;
        var perEntry = (double)retained / entries;
        var budget = KeyMemoBudget.Shared;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"key memo, {entries:N0} argument sets of GetOrderAsync(int, string, Guid):"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  retained {perEntry:F1} B per set, of which the key string {keyString} B (shared with the backend) and the memo's own {perEntry - keyString:F1} B"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  allocated while filling {(double)allocated / entries:F1} B per set; second pass {(double)again / entries:F2} B per set"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  charged to the budget {(double)budget.Charged / entries:F1} B per set (estimate); budget {budget.MaxBytes / (1024 * 1024)} MiB, {budget.GenerationEntries:N0} sets per generation"));
    }
}
