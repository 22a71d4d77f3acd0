using FsCheck;
using FsCheck.Fluent;

namespace Cacheweave.Tests.Backends.Model;

/// <summary>
/// Guards the model-based tests against passing vacuously: the scenarios they generate must make each
/// policy evict, expire and hit, and often, or agreement with the model would prove little.
/// </summary>
public sealed class ModelScenarioCoverageTests
{
    private const int Samples = 300;

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Most_generated_scenarios_evict_expire_and_hit(BackendPolicy policy)
    {
        var scenarios = ModelScenarios.Generator(policy).Sample(Samples, new Rnd(20301), 50);
        Assert.Equal(Samples, scenarios.Length);

        var models = scenarios.Select(scenario => ModelRunner.Run(policy, scenario)).ToList();

        Assert.InRange(models.Count(m => m.Evicted.Count > 0), Samples / 2, Samples);
        Assert.InRange(models.Count(m => m.Expirations > 0), Samples / 2, Samples);
        Assert.InRange(models.Count(m => m.Hits > 0), Samples * 9 / 10, Samples);
    }

    [Theory]
    [InlineData(BackendPolicy.Lru)]
    [InlineData(BackendPolicy.Fifo)]
    public void Most_byte_budget_scenarios_evict_and_many_refuse_an_entry_too_large(BackendPolicy policy)
    {
        var scenarios = ModelScenarios.ByteBudgetGenerator(policy).Sample(Samples, new Rnd(20302), 50);

        var models = scenarios.Select(scenario => ModelRunner.Run(policy, scenario)).ToList();

        Assert.InRange(models.Count(m => m.Evicted.Count > 0), Samples * 3 / 4, Samples);
        Assert.InRange(models.Count(m => m.Refused > 0), Samples / 3, Samples);
        Assert.InRange(scenarios.Count(s => s.UseSizer), Samples / 4, Samples * 3 / 4);
        Assert.InRange(scenarios.Count(s => s.Operations.Any(op => op.Kind == CacheOpKind.ResizeBytes)), Samples / 2, Samples);
    }
}

