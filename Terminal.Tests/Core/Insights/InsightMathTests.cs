using Terminal.Core.Insights;

namespace Terminal.Tests.Core.Insights;

/// <summary>Each SPEC §10 statistic on numbers worked out by hand.</summary>
public sealed class InsightMathTests
{
    private static readonly DateTime T0 = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void ViewsAtAge_InterpolatesBetweenTheReadingsAroundTheAge()
    {
        // Readings 0 @0h, 1,000 @20h, 2,000 @30h: 24 h is 4/10 of the way from 20 h to 30 h → 1,000 + 0.4 × 1,000 = 1,400.
        (DateTime, long)[] readings = [(T0, 0), (T0.AddHours(20), 1_000), (T0.AddHours(30), 2_000)];
        InsightMath.ViewsAtAge(readings, T0, TimeSpan.FromHours(24)).Should().BeApproximately(1_400, 1e-9);
    }

    [Fact]
    public void ViewsAtAge_StartsFromZeroAtPublication_WhenTheFirstReadingIsLater()
    {
        // Only 600 @12h and 1,800 @36h: 600 + (12/24) × 1,200 = 1,200; and at 6 h, on the line from (0 h, 0): 300.
        (DateTime, long)[] readings = [(T0.AddHours(12), 600), (T0.AddHours(36), 1_800)];
        InsightMath.ViewsAtAge(readings, T0, TimeSpan.FromHours(24)).Should().BeApproximately(1_200, 1e-9);
        InsightMath.ViewsAtAge(readings, T0, TimeSpan.FromHours(6)).Should().BeApproximately(300, 1e-9);
    }

    [Fact]
    public void ViewsAtAge_IsNullForAPostNotYetThatOld_AndExactOnAReadingAtTheAge()
    {
        InsightMath.ViewsAtAge([(T0.AddHours(10), 500L)], T0, TimeSpan.FromHours(24)).Should().BeNull();
        InsightMath.ViewsAtAge([(T0.AddHours(10), 500L), (T0.AddHours(24), 900L)], T0, TimeSpan.FromHours(24)).Should().Be(900);
    }

    [Fact]
    public void Outcome_IsTheLogOfViews_WithNoViewsReadingZero()
    {
        InsightMath.Outcome(Math.E * Math.E).Should().BeApproximately(2, 1e-12);
        InsightMath.Outcome(0).Should().Be(0);
    }

    [Fact]
    public void Wilson_OnEightOfTen_MatchesTheHandComputedInterval()
    {
        // p̂ = 0.8, z² = 3.8415: centre = 0.8 + 3.8415/20 = 0.99207; spread = 1.96·√(0.016 + 3.8415/400) = 0.31362;
        // ÷ (1 + 3.8415/10 = 1.38415) → 0.49016 … 0.94331.
        var (p, low, high) = InsightMath.Wilson(8, 10);
        p.Should().Be(0.8);
        low.Should().BeApproximately(0.49016, 1e-4);
        high.Should().BeApproximately(0.94331, 1e-4);
        InsightMath.Wilson(0, 0).Should().Be((0d, 0d, 1d));
    }

    [Fact]
    public void BenjaminiHochberg_OnAKnownVector_GivesTheHandComputedQValues()
    {
        // Sorted 0.005, 0.01, 0.03, 0.04 (m = 4): m·p/rank = 0.02, 0.02, 0.04, 0.04; running minimum from the top leaves them.
        InsightMath.BenjaminiHochberg([0.01, 0.04, 0.03, 0.005]).Should().Equal([0.02, 0.04, 0.04, 0.02], (a, b) => Math.Abs(a - b) < 1e-12);
        // Sorted 0.001, 0.03, 0.04 (m = 3): 0.003, 0.045, 0.04 → step-up: rank 2 takes min(0.045, 0.04) = 0.04.
        InsightMath.BenjaminiHochberg([0.04, 0.001, 0.03]).Should().Equal([0.04, 0.003, 0.04], (a, b) => Math.Abs(a - b) < 1e-12);
        // Never above 1.
        InsightMath.BenjaminiHochberg([0.9, 0.8]).Should().Equal([0.9, 0.9], (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void RatioOfMedians_IsTheMedianOfTheGroupOverTheMedianOfTheRest()
    {
        // Group 10, 20, 30 → median 20; rest 5, 10, 15, 100 → median (10 + 15)/2 = 12.5; 20 / 12.5 = 1.6.
        var result = InsightMath.RatioOfMedians([10, 20, 30], [5, 10, 15, 100], seed: 1);
        result!.Value.Effect.Should().BeApproximately(1.6, 1e-12);
        result.Value.Low.Should().BeLessThanOrEqualTo(1.6);
        result.Value.High.Should().BeGreaterThanOrEqualTo(1.6);
        InsightMath.RatioOfMedians([1, 2], [0, 0, 1], seed: 1).Should().BeNull("the rest's median is 0");
    }

    [Fact]
    public void Bootstrap_WithAFixedSeed_IsReproducible_AndTheSeedMatters()
    {
        double[] group = [3, 8, 9, 14, 20, 21, 40, 55, 70, 90, 120];
        double[] rest = [1, 2, 4, 5, 7, 9, 11, 12, 18, 25, 30, 31, 44];
        var first = InsightMath.RatioOfMedians(group, rest, seed: 42);
        var again = InsightMath.RatioOfMedians(group, rest, seed: 42);
        var other = InsightMath.RatioOfMedians(group, rest, seed: 43);
        again.Should().Be(first);
        other.Should().NotBe(first);
        other!.Value.Effect.Should().Be(first!.Value.Effect, "the point estimate does not depend on the seed");
    }

    [Fact]
    public void BootstrapMedian_OfThreeValues_HasTheResamplingDistribution()
    {
        // Resampling 3 of {1, 2, 3}: the median is 1 when at least two draws are 1: 3·(1/3)²·(2/3) + (1/3)³ = 7/27;
        // 3 likewise 7/27; 2 the remaining 13/27.
        var rng = new Random(7);
        var counts = new Dictionary<double, int> { [1] = 0, [2] = 0, [3] = 0 };
        const int draws = 54_000;
        for (var i = 0; i < draws; i++)
        {
            counts[InsightMath.BootstrapMedian([1, 2, 3], rng)]++;
        }

        (counts[1] / (double)draws).Should().BeApproximately(7 / 27.0, 0.01);
        (counts[2] / (double)draws).Should().BeApproximately(13 / 27.0, 0.01);
        (counts[3] / (double)draws).Should().BeApproximately(7 / 27.0, 0.01);
    }

    [Fact]
    public void BootstrapMedian_OfTwoValues_AveragesTheMiddlePair()
    {
        // Resampling 2 of {1, 3}: (1,1) → 1, (1,3) or (3,1) → 2, (3,3) → 3 with chances 1/4, 1/2, 1/4.
        var rng = new Random(11);
        var counts = new Dictionary<double, int> { [1] = 0, [2] = 0, [3] = 0 };
        const int draws = 40_000;
        for (var i = 0; i < draws; i++)
        {
            counts[InsightMath.BootstrapMedian([1, 3], rng)]++;
        }

        (counts[1] / (double)draws).Should().BeApproximately(0.25, 0.01);
        (counts[2] / (double)draws).Should().BeApproximately(0.5, 0.01);
        (counts[3] / (double)draws).Should().BeApproximately(0.25, 0.01);
    }

    [Fact]
    public void MidRanks_ShareTheMeanPositionAcrossTies()
    {
        // 3, 1, 3, 2 sorted 1, 2, 3, 3: ranks 1, 2, 3.5, 3.5; one tie block of 2 → t³ − t = 6.
        var (ranks, tie) = InsightMath.MidRanks([3, 1, 3, 2]);
        ranks.Should().Equal(3.5, 1, 3.5, 2);
        tie.Should().Be(6);
    }

    [Fact]
    public void MannWhitney_OnTwoAgainstTwo_MatchesTheNormalApproximation()
    {
        // Group {1, 2} vs {3, 4}: R = 3, U = 3 − 3 = 0, mean 2, variance 2·2/12·5 = 5/3, z = 2/1.29099 = 1.54919,
        // p = 2·(1 − Φ(1.54919)) = 0.12134.
        InsightMath.MannWhitneyP(3, 2, 2, 0).Should().BeApproximately(0.12134, 1e-4);
        InsightMath.MannWhitneyP(3, 2, 0, 0).Should().Be(1);
    }

    [Fact]
    public void SeedFor_IsStablePerKey()
    {
        InsightMath.SeedFor(1, "duration=<20s").Should().Be(InsightMath.SeedFor(1, "duration=<20s"));
        InsightMath.SeedFor(1, "duration=<20s").Should().NotBe(InsightMath.SeedFor(1, "duration=20-40s"));
    }
}
