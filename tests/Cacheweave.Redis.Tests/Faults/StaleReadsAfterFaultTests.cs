using Cacheweave.Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Cacheweave.Redis.Tests.Faults;

/// <summary>
/// The invariant of the shared tier, checked across real OS processes: once a fault has ended and recovery has completed
/// (at most 5 s), no node serves a value that was invalidated before or during the fault, and no caller sees an exception.
/// </summary>
/// <remarks>
/// Each test starts its own redis-server (persistence on) and three Cacheweave.FaultNode processes. They run in the
/// Redis collection, one after another, so that no other test competes for the two cores while they time a fault.
/// </remarks>
[Collection(RedisCollection.Name)]
public sealed class StaleReadsAfterFaultTests(ITestOutputHelper output)
{
    [Fact]
    public Task No_node_serves_an_invalidated_value_after_redis_is_killed_and_restarts_from_its_append_only_file() =>
        AssertNoStaleReadsAsync(new KillAndRestartFault());

    [Fact]
    public Task No_node_serves_an_invalidated_value_after_redis_hangs_in_debug_sleep() =>
        AssertNoStaleReadsAsync(new DebugSleepFault(3));

    [Fact]
    public Task No_node_serves_an_invalidated_value_after_redis_pauses_its_clients() =>
        AssertNoStaleReadsAsync(new ClientPauseFault(3000));

    [Fact]
    public Task No_node_serves_an_invalidated_value_after_redis_runs_out_of_memory_with_noeviction() =>
        AssertNoStaleReadsAsync(new OutOfMemoryFault());

    [Fact]
    public Task No_node_serves_an_invalidated_value_after_its_pubsub_connections_are_killed() =>
        AssertNoStaleReadsAsync(new PubSubKillFault());

    private async Task AssertNoStaleReadsAsync(RedisFault fault)
    {
        var outcome = await FaultScenario.RunAsync(fault);
        output.WriteLine(outcome.Describe());

        Assert.Equal(3, outcome.Nodes.Count);
        Assert.All(outcome.Nodes, node => Assert.Empty(node.Errors));
        Assert.NotEmpty(outcome.Invalidations);
        Assert.All(outcome.Nodes, node => Assert.True(
            outcome.ReadsAfterRecovery(node) > 0, $"{node.Node} made no call after recovery, so it proves nothing."));
        Assert.All(outcome.Nodes, node => Assert.True(
            outcome.StaleAfterRecovery(node) == 0,
            $"{node.Node} served {outcome.StaleAfterRecovery(node)} invalidated values after recovery ({fault.Name}).\n{outcome.Describe()}"));
    }
}
