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
        var report = outcome.Describe();
        output.WriteLine(report);
        Assert.Equal(3, outcome.Nodes.Count);
        Assert.True(outcome.Nodes.All(n => n.Errors.Count == 0), $"A caller saw an exception.\n{report}");
        Assert.True(outcome.Invalidations.Count > 0, $"The writer invalidated nothing.\n{report}");
        Assert.True(outcome.Nodes.All(n => outcome.ReadsAfterRecovery(n) > 0), $"A node made no call after recovery, so it proves nothing.\n{report}");
        Assert.True(outcome.Nodes.All(n => outcome.StaleAfterRecovery(n) == 0), $"Invalidated values were served after recovery.\n{report}");
    }
}
