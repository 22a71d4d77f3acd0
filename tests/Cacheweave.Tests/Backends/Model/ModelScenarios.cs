using FsCheck;
using FsCheck.Fluent;

namespace Cacheweave.Tests.Backends.Model;

/// <summary>
/// Generates and shrinks <see cref="ModelScenario"/>s: about 50 operations over 8 keys, a capacity of 3 to 5,
/// times to live of 1 to 5 seconds and clock moves of 0 to 3 seconds, all in steps of 250 ms so that writes,
/// reads and expiries often land on the same instant.
/// </summary>
internal static class ModelScenarios
{
    public const int KeyCount = 8;

    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);

    public static Arbitrary<ModelScenario> For(BackendPolicy policy) => Arb.From(Generator(policy), Shrink);

    private static readonly Gen<int> Key = Gen.Choose(0, KeyCount - 1);

    private static readonly Gen<TimeSpan> TimeToLive = Gen.Choose(4, 20).Select(steps => Step * steps);

    private static readonly Gen<TimeSpan?> PutTimeToLive = Gen.Frequency(
        (1, Gen.Constant<TimeSpan?>(null)),
        (1, TimeToLive.Select(ttl => (TimeSpan?)ttl)));

    public static Gen<ModelScenario> Generator(BackendPolicy policy)
    {
        var operation = Gen.Frequency(
            (25, Key.Select(CacheOp.Get)),
            (15, Key.Select(CacheOp.TryGet)),
            (15, Key.Select(CacheOp.TryGetByHandle)),
            (35, from k in Key from ttl in PutTimeToLive select CacheOp.Put(k, ttl)),
            (10, Key.Select(CacheOp.Remove)),
            (10, Gen.Choose(0, 12).Select(steps => CacheOp.AdvanceTime(Step * steps))));

        return from capacity in Gen.Choose(3, 5)
               from ttl in DefaultTimeToLive(policy)
               from length in Gen.Choose(40, 60)
               from operations in operation.ArrayOf(length)
               select new ModelScenario(capacity, ttl, operations);
    }

    public static Arbitrary<ModelScenario> WithByteBudget(BackendPolicy policy) => Arb.From(ByteBudgetGenerator(policy), Shrink);

    /// <summary>
    /// Scenarios with a byte budget of 10 to 30 beside a capacity of 3 to 8: puts of 0 to 10 bytes, now and then one
    /// larger than the whole budget, and run-time resizes of both limits; sizes given per put or by a sizer.
    /// </summary>
    public static Gen<ModelScenario> ByteBudgetGenerator(BackendPolicy policy)
    {
        var size = Gen.Frequency((12, Gen.Choose(0, 10)), (1, Gen.Choose(11, 40)));
        var operation = Gen.Frequency(
            (25, Key.Select(CacheOp.Get)),
            (15, Key.Select(CacheOp.TryGet)),
            (15, Key.Select(CacheOp.TryGetByHandle)),
            (35, from k in Key from ttl in PutTimeToLive from s in size select CacheOp.Put(k, ttl, s)),
            (10, Key.Select(CacheOp.Remove)),
            (8, Gen.Choose(0, 12).Select(steps => CacheOp.AdvanceTime(Step * steps))),
            (3, Gen.Choose(1, 6).Select(CacheOp.ResizeCapacity)),
            (4, Gen.Choose(5, 40).Select(bytes => CacheOp.ResizeBytes(bytes))));

        return from capacity in Gen.Choose(3, 8)
               from maxBytes in Gen.Choose(10, 30)
               from useSizer in Gen.Elements(false, true)
               from ttl in DefaultTimeToLive(policy)
               from length in Gen.Choose(40, 60)
               from operations in operation.ArrayOf(length)
               select new ModelScenario(capacity, ttl, operations, maxBytes, useSizer);
    }

    private static Gen<TimeSpan?> DefaultTimeToLive(BackendPolicy policy) => InMemoryBackends.HasDefaultTimeToLive(policy)
        ? TimeToLive.Select(ttl => (TimeSpan?)ttl)
        : Gen.Constant<TimeSpan?>(null);

    private static IEnumerable<ModelScenario> Shrink(ModelScenario scenario)
    {
        var operations = scenario.Operations;
        if (operations.Count > 1)
        {
            var half = operations.Count / 2;
            yield return scenario with { Operations = [.. operations.Take(half)] };
            yield return scenario with { Operations = [.. operations.Skip(half)] };
        }

        for (var i = 0; i < operations.Count; i++)
        {
            yield return scenario with { Operations = [.. operations.Take(i), .. operations.Skip(i + 1)] };
        }
    }
}
