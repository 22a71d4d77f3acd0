using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cacheweave.Tests.Backends.Model;

/// <summary>
/// Each policy against the <see cref="ReferenceCache"/>: 1,000 random scenarios of about 50 gets, puts, removes
/// and clock moves, with the live contents compared after every step (see <see cref="ModelRunner"/>).
/// </summary>
public sealed class BackendModelTests
{
    private const int Scenarios = 1_000;

    [Property(MaxTest = Scenarios)]
    public Property Lru_backend_behaves_like_the_reference_model() => BehavesLikeTheModel(BackendPolicy.Lru);

    [Property(MaxTest = Scenarios)]
    public Property Lfu_backend_behaves_like_the_reference_model() => BehavesLikeTheModel(BackendPolicy.Lfu);

    [Property(MaxTest = Scenarios)]
    public Property Ttl_backend_with_a_capacity_behaves_like_the_reference_model() => BehavesLikeTheModel(BackendPolicy.Ttl);

    [Property(MaxTest = Scenarios)]
    public Property LruTtl_backend_behaves_like_the_reference_model() => BehavesLikeTheModel(BackendPolicy.LruTtl);

    [Property(MaxTest = Scenarios)]
    public Property Fifo_backend_behaves_like_the_reference_model() => BehavesLikeTheModel(BackendPolicy.Fifo);

    [Property(MaxTest = Scenarios)]
    public Property Lru_backend_with_a_byte_budget_behaves_like_the_reference_model() => WithByteBudgetBehavesLikeTheModel(BackendPolicy.Lru);

    [Property(MaxTest = Scenarios)]
    public Property Fifo_backend_with_a_byte_budget_behaves_like_the_reference_model() => WithByteBudgetBehavesLikeTheModel(BackendPolicy.Fifo);

    [Property(MaxTest = Scenarios)]
    public Property Lfu_backend_with_a_byte_budget_behaves_like_the_reference_model() => WithByteBudgetBehavesLikeTheModel(BackendPolicy.Lfu);

    [Property(MaxTest = Scenarios)]
    public Property Ttl_backend_with_a_byte_budget_behaves_like_the_reference_model() => WithByteBudgetBehavesLikeTheModel(BackendPolicy.Ttl);

    [Property(MaxTest = Scenarios)]
    public Property LruTtl_backend_with_a_byte_budget_behaves_like_the_reference_model() => WithByteBudgetBehavesLikeTheModel(BackendPolicy.LruTtl);

    private static Property BehavesLikeTheModel(BackendPolicy policy) =>
        Prop.ForAll(ModelScenarios.For(policy), scenario => { ModelRunner.Run(policy, scenario); });

    private static Property WithByteBudgetBehavesLikeTheModel(BackendPolicy policy) =>
        Prop.ForAll(ModelScenarios.WithByteBudget(policy), scenario => { ModelRunner.Run(policy, scenario); });
}
