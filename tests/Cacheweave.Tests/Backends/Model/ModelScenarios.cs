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

    public static Gen<ModelScenario> Generator(BackendPolicy policy)
    {
        var key = Gen.Choose(0, KeyCount - 1);
        var timeToLive = Gen.Choose(4, 20).Select(steps => Step * steps);
        var putTimeToLive = Gen.Frequency(
            (1, Gen.Constant<TimeSpan?>(null)),
            (1, timeToLive.Select(ttl => (TimeSpan?)ttl)));
        var operation = Gen.Frequency(
            (25, key.Select(CacheOp.Get)),
            (15, key.Select(CacheOp.TryGet)),
            (35, from k in key from ttl in putTimeToLive select CacheOp.Put(k, ttl)),
            (10, key.Select(CacheOp.Remove)),
            (10, Gen.Choose(0, 12).Select(steps => CacheOp.AdvanceTime(Step * steps))));
        var defaultTimeToLive = InMemoryBackends.HasDefaultTimeToLive(policy)
            ? timeToLive.Select(ttl => (TimeSpan?)ttl)
            : Gen.Constant<TimeSpan?>(null);

        return from capacity in Gen.Choose(3, 5)
               from ttl in defaultTimeToLive
               from length in Gen.Choose(40, 60)
               from operations in operation.ArrayOf(length)
               select new ModelScenario(capacity, ttl, operations);
    }

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
