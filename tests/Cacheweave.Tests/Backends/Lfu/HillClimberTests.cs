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
    public void The_first_step_shrinks_the_window_when_more_main_victims_than_window_candidates_came_back()
    {
        var climber = new HillClimber(Capacity, Sample);
        Returns(climber, window: 3, main: 4);

        var first = RunSample(climber, hits: 50, misses: 50);

        Assert.Equal(-62, first);
        Assert.True(climber.Started);
    }

    [Fact]
    public void The_first_step_grows_the_window_when_window_candidates_came_back_at_least_as_often()
    {
        var climber = new HillClimber(Capacity, Sample);
        Returns(climber, window: 4, main: 4);

        var first = RunSample(climber, hits: 50, misses: 50);

        Assert.Equal(62, first);
    }

    [Fact]
    public void Returns_direct_only_the_first_step()
    {
        var climber = new HillClimber(Capacity, Sample);
        RunSample(climber, hits: 50, misses: 50);
        Returns(climber, window: 0, main: 10);

        // The hit rate improved after a move up: the climber keeps going up whatever came back.
        var second = RunSample(climber, hits: 52, misses: 48);

        Assert.True(second > 0, $"second step {second}");
    }

    [Fact]
    public void A_first_period_within_the_dead_zone_leaves_the_first_step_to_come()
    {
        var climber = new HillClimber(Capacity, Sample);

        Assert.Equal(0, RunSample(climber, hits: 0, misses: 100));
        Assert.False(climber.Started);

        Returns(climber, window: 0, main: 1);
        Assert.Equal(-62, RunSample(climber, hits: 50, misses: 50));
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
        DecaySteps(climber);

        // The steps have decayed; a jump of 20 points means the workload changed, so the step is reset.
        RunSample(climber, hits: 70, misses: 30);
        var next = RunSample(climber, hits: 71, misses: 29);

        Assert.Equal(62, Math.Abs(next));
    }

    [Fact]
    public void A_change_of_the_hit_rate_below_ten_points_keeps_the_decayed_step()
    {
        var climber = new HillClimber(Capacity, Sample);
        DecaySteps(climber);

        // Eight points is sampling noise, not a new workload: the step keeps decaying.
        RunSample(climber, hits: 58, misses: 42);
        var next = RunSample(climber, hits: 59, misses: 41);

        Assert.InRange(Math.Abs(next), 1, 61);
    }

    [Fact]
    public void A_change_of_the_hit_rate_below_the_dead_zone_holds_the_window_and_keeps_the_reference()
    {
        var climber = new HillClimber(1_000, 1_000);
        Assert.Equal(62, RunSample(climber, hits: 500, misses: 500));

        // Half a point up, then half a point more: each is within the dead zone of the reference (50%), so the
        // window holds; the second is a full point above the reference and moves it on.
        var held = RunSample(climber, hits: 505, misses: 495);
        var moved = RunSample(climber, hits: 510, misses: 490);

        Assert.Equal(0, held);
        Assert.True(moved > 0, $"step {moved}");
    }

    [Fact]
    public void A_move_cut_short_at_the_windows_floor_turns_the_climber_round()
    {
        var climber = new HillClimber(Capacity, Sample);
        Returns(climber, window: 0, main: 1);

        // The first move asks to shrink by 62 entries, but the window has only 10 to give.
        var first = RunSample(climber, hits: 50, misses: 50, maxShrink: 10);

        // The hit rate then improves, which alone would keep the climber shrinking into the floor.
        var second = RunSample(climber, hits: 52, misses: 48, maxShrink: 0);

        Assert.Equal(-10, first);
        Assert.True(second > 0, $"second step {second}");
    }

    [Fact]
    public void A_move_cut_short_at_the_windows_ceiling_turns_the_climber_round()
    {
        var climber = new HillClimber(Capacity, Sample);

        var first = RunSample(climber, hits: 50, misses: 50, maxGrowth: 5);
        var second = RunSample(climber, hits: 52, misses: 48, maxGrowth: 0);

        Assert.Equal(5, first);
        Assert.True(second < 0, $"second step {second}");
    }

    [Fact]
    public void A_move_made_in_full_keeps_the_direction_while_the_hit_rate_improves()
    {
        var climber = new HillClimber(Capacity, Sample);
        Returns(climber, window: 0, main: 1);

        var first = RunSample(climber, hits: 50, misses: 50, maxShrink: 62);
        var second = RunSample(climber, hits: 52, misses: 48);

        Assert.Equal(-62, first);
        Assert.True(second < 0, $"second step {second}");
    }

    // Twenty periods whose hit rate alternates by a point (outside the dead zone), so that the step decays.
    private static void DecaySteps(HillClimber climber)
    {
        RunSample(climber, hits: 50, misses: 50);
        for (var i = 0; i < 20; i++)
        {
            RunSample(climber, hits: 50 + (i % 2), misses: 50 - (i % 2));
        }
    }

    private static void Returns(HillClimber climber, int window, int main)
    {
        for (var i = 0; i < window; i++)
        {
            climber.RecordWindowReturn();
        }

        for (var i = 0; i < main; i++)
        {
            climber.RecordMainReturn();
        }
    }

    private static int RunSample(HillClimber climber, int hits, int misses, int maxGrowth = int.MaxValue, int maxShrink = int.MaxValue)
    {
        for (var i = 0; i < hits; i++)
        {
            climber.RecordHit();
        }

        for (var i = 0; i < misses; i++)
        {
            climber.RecordMiss();
        }

        return climber.Adjustment(maxGrowth, maxShrink);
    }
}
