using Cacheweave.Backends.Lfu;

namespace Cacheweave.Tests.Backends.Lfu;

public sealed class AdmissionMarginTests
{
    // Hashes as the policy passes them: the two low bits clear.
    private const int CandidateA = 4 * 1_001;
    private const int ResidentA = 4 * 2_002;
    private const int CandidateB = 4 * 3_003;
    private const int ResidentB = 4 * 4_004;

    [Fact]
    public void A_new_learner_admits_on_a_one_use_lead_as_caffeine_does()
    {
        var margin = new AdmissionMargin();

        Assert.Equal(0, margin.Margin);
        Assert.Equal(0, margin.Score);
    }

    [Fact]
    public void Residents_requested_first_raise_the_margin_to_one_only_once_they_lead_clearly()
    {
        var margin = new AdmissionMargin();

        for (var i = 0; i < AdmissionMargin.RaiseScore - 1; i++)
        {
            ResidentWins(margin, CandidateA, ResidentA);
        }

        Assert.Equal(AdmissionMargin.RaiseScore - 1, margin.Score);
        Assert.Equal(0, margin.Margin);

        ResidentWins(margin, CandidateB, ResidentB);

        Assert.Equal(AdmissionMargin.RaiseScore, margin.Score);
        Assert.Equal(1, margin.Margin);
    }

    [Fact]
    public void Candidates_requested_first_lower_a_raised_margin_once_they_lead_by_two()
    {
        var margin = new AdmissionMargin();
        for (var i = 0; i < AdmissionMargin.RaiseScore; i++)
        {
            ResidentWins(margin, CandidateA, ResidentA);
        }

        for (var i = AdmissionMargin.RaiseScore; i > AdmissionMargin.LowerScore + 1; i--)
        {
            CandidateWins(margin, CandidateA, ResidentA);
        }

        Assert.Equal(AdmissionMargin.LowerScore + 1, margin.Score);
        Assert.Equal(1, margin.Margin);

        CandidateWins(margin, CandidateB, ResidentB);

        Assert.Equal(-2, margin.Score);
        Assert.Equal(0, margin.Margin);
    }

    [Fact]
    public void Verdicts_for_candidates_count_against_a_raise()
    {
        var margin = new AdmissionMargin();

        CandidateWins(margin, CandidateA, ResidentA);
        CandidateWins(margin, CandidateB, ResidentB);
        for (var i = 0; i < AdmissionMargin.RaiseScore + 1; i++)
        {
            ResidentWins(margin, CandidateA, ResidentA);
        }

        Assert.Equal(AdmissionMargin.RaiseScore - 1, margin.Score);
        Assert.Equal(0, margin.Margin);
    }

    [Fact]
    public void A_dispute_is_settled_by_the_first_request_only()
    {
        var margin = new AdmissionMargin();
        margin.Dispute(CandidateA, ResidentA);

        margin.Observe(CandidateA);
        margin.Observe(ResidentA);
        margin.Observe(CandidateA);

        Assert.Equal(-1, margin.Score);
    }

    [Fact]
    public void A_pair_whose_resident_entered_a_newer_dispute_casts_no_vote()
    {
        var margin = new AdmissionMargin();
        margin.Dispute(CandidateA, ResidentA);
        margin.Dispute(CandidateB, ResidentA);

        // ResidentA's record now belongs to its duel with CandidateB: CandidateA's return proves nothing.
        margin.Observe(CandidateA);
        Assert.Equal(0, margin.Score);

        margin.Observe(ResidentA);
        Assert.Equal(1, margin.Score);
    }

    [Fact]
    public void Requests_for_keys_in_no_dispute_leave_the_score_alone()
    {
        var margin = new AdmissionMargin();
        margin.Dispute(CandidateA, ResidentA);

        for (var hash = 0; hash < 400_000; hash += 4)
        {
            if (hash is not CandidateA and not ResidentA)
            {
                margin.Observe(hash);
            }
        }

        Assert.Equal(0, margin.Score);
        margin.Observe(ResidentA);
        Assert.Equal(1, margin.Score);
    }

    [Fact]
    public void The_score_is_bounded_so_a_new_workload_can_turn_the_margin_back()
    {
        var margin = new AdmissionMargin();
        for (var i = 0; i < 100; i++)
        {
            ResidentWins(margin, CandidateA, ResidentA);
        }

        Assert.Equal(AdmissionMargin.ScoreLimit, margin.Score);
        Assert.Equal(1, margin.Margin);

        for (var i = 0; i < AdmissionMargin.ScoreLimit - AdmissionMargin.LowerScore; i++)
        {
            CandidateWins(margin, CandidateA, ResidentA);
        }

        Assert.Equal(0, margin.Margin);
    }

    private static void CandidateWins(AdmissionMargin margin, int candidate, int resident)
    {
        margin.Dispute(candidate, resident);
        margin.Observe(candidate);
        margin.Observe(resident);
    }

    private static void ResidentWins(AdmissionMargin margin, int candidate, int resident)
    {
        margin.Dispute(candidate, resident);
        margin.Observe(resident);
        margin.Observe(candidate);
    }
}
