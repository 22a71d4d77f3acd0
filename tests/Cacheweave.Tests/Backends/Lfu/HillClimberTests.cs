using Cacheweave.Backends.Lfu;

namespace Cacheweave.Tests.Backends.Lfu;

public sealed class HillClimberTests
{
    private const int Capacity = 1_000;
    private const int Sample = 100;

    [Fact]
    public void No_adjustment_is_made_before_a_sample_is_complete()
    {
        var climber = new HillClimber(Capacity, Sample);

        var amount = RunSample(climber, hits: 50, misses: 49);

        Assert.Equal(0, amount);
    }

    [Fact]
    public void The_first_step_grows_the_window_and_keeps_going_while_the_hit_rate_improves()
    {
        var climber = new HillClimber(Capacity, Sample);

        var first = RunSample(climber, hits: 50, misses: 50);
        var second = RunSample(climber, hits: 51, misses: 49);

        Assert.Equal(62, first);
        Assert.True(second > 0, $"second step {second}");
    }

    [Fact]
    public void A_falling_hit_rate_reverses_the_direction_with_a_smaller_step()
    {
        var climber = new HillClimber(Capacity, Sample);
        RunSample(climber, hits: 50, misses: 50);
        RunSample(climber, hits: 51, misses: 49);

        var reversed = RunSample(climber, hits: 50, misses: 50);

        Assert.True(reversed < 0, $"step {reversed}");
        Assert.True(-reversed < 62, $"step {reversed}");
    }

    [Fact]
    public void A_large_change_of_the_hit_rate_restarts_with_the_full_step()
    {
        var climber = new HillClimber(Capacity, Sample);
        RunSample(climber, hits: 50, misses: 50);
        for (var i = 0; i < 20; i++)
        {
            RunSample(climber, hits: 50, misses: 50);
        }

        // The steps have decayed; a jump of 30 points means the workload changed, so the step is reset.
        RunSample(climber, hits: 80, misses: 20);
        var next = RunSample(climber, hits: 80, misses: 20);

        Assert.Equal(62, next);
    }

    [Fact]
    public void A_change_of_the_hit_rate_below_twenty_points_keeps_the_decayed_step()
    {
        var climber = new HillClimber(Capacity, Sample);
        RunSample(climber, hits: 50, misses: 50);
        for (var i = 0; i < 20; i++)
        {
            RunSample(climber, hits: 50, misses: 50);
        }

        // Fifteen points is sampling noise (OLTP's periods swing that much), not a new workload: the step keeps
        // decaying.
        RunSample(climber, hits: 65, misses: 35);
        var next = RunSample(climber, hits: 65, misses: 35);

        Assert.InRange(Math.Abs(next), 1, 61);
    }

    private static int RunSample(HillClimber climber, int hits, int misses)
    {
        for (var i = 0; i < hits; i++)
        {
            climber.RecordHit();
        }

        for (var i = 0; i < misses; i++)
        {
            climber.RecordMiss();
        }

        return climber.Adjustment();
    }
}
