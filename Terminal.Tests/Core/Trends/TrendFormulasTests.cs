using Terminal.Core.Trends;

namespace Terminal.Tests.Core.Trends;

/// <summary>Each SPEC §3 formula on numbers worked out by hand.</summary>
public sealed class TrendFormulasTests
{
    [Fact]
    public void Velocity_IsViewsGainedPerHourOfTheWindow()
    {
        // 1,000 → 25,000 over 24 h: 24,000 / 24 = 1,000 views/h.
        TrendFormulas.Velocity(25_000, 1_000, TimeSpan.FromHours(24)).Should().Be(1_000);
        // 7 d = 168 h: 16,800 / 168 = 100.
        TrendFormulas.Velocity(20_000, 3_200, TimeSpan.FromDays(7)).Should().Be(100);
    }

    [Fact]
    public void Change_IsRelativeToTheEarlierVelocity_AndNullWhenThatIsZero()
    {
        TrendFormulas.Change(150, 100).Should().Be(0.5);
        TrendFormulas.Change(50, 100).Should().Be(-0.5);
        TrendFormulas.Change(10, 0).Should().BeNull();
        // A shrinking earlier velocity divides by its size: −10 → +10 is a change of +2 (200 %).
        TrendFormulas.Change(10, -10).Should().Be(2);
    }

    [Fact]
    public void PercentileRank_CountsValuesAtOrBelow()
    {
        double[] sorted = [1, 2, 2, 5];
        TrendFormulas.PercentileRank(5, sorted).Should().Be(100);
        TrendFormulas.PercentileRank(2, sorted).Should().Be(75); // 1, 2, 2 of 4
        TrendFormulas.PercentileRank(1, sorted).Should().Be(25);
        TrendFormulas.PercentileRank(0, sorted).Should().Be(0);
        TrendFormulas.PercentileRank(7, [7]).Should().Be(100);
        TrendFormulas.PercentileRank(7, []).Should().Be(0);
    }

    [Fact]
    public void Recency_DecaysWithTauEqualToTheWindow()
    {
        TrendFormulas.Recency(TimeSpan.FromHours(24), TimeSpan.FromHours(24)).Should().BeApproximately(Math.Exp(-1), 1e-12);
        TrendFormulas.Recency(TimeSpan.FromHours(12), TimeSpan.FromHours(24)).Should().BeApproximately(0.6065306597, 1e-9);
        TrendFormulas.Recency(TimeSpan.Zero, TimeSpan.FromHours(1)).Should().Be(1);
        TrendFormulas.Recency(TimeSpan.FromHours(-2), TimeSpan.FromHours(1)).Should().Be(1);
    }

    [Fact]
    public void Heat_MultipliesPercentileByRecencyAndRelevance()
    {
        TrendFormulas.Heat(80).Should().Be(80);
        TrendFormulas.Heat(80, 0.5).Should().Be(40);
        TrendFormulas.Heat(80, 0.5, 0.5).Should().Be(20);
        TrendFormulas.Heat(150).Should().Be(100);
    }

    [Fact]
    public void TopicRelevance_IsOneForOwnTopic_HalfWhenConnected_ZeroOtherwise()
    {
        TrendFormulas.TopicRelevance(true, false).Should().Be(1);
        TrendFormulas.TopicRelevance(false, true).Should().Be(0.5);
        TrendFormulas.TopicRelevance(false, false).Should().Be(0);
    }

    [Fact]
    public void Percentile90_IsNearestRank_AndTrendingNeedsAtLeastIt()
    {
        double[] ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        TrendFormulas.Percentile90(ten).Should().Be(9); // ⌈0.9 × 10⌉ = 9th value
        double[] three = [1, 2, 3];
        TrendFormulas.Percentile90(three).Should().Be(3); // ⌈2.7⌉ = 3rd
        TrendFormulas.IsTrending(9, 9).Should().BeTrue();
        TrendFormulas.IsTrending(8.99, 9).Should().BeFalse();
        TrendFormulas.IsTrending(0, 0).Should().BeFalse("a flat market has nothing trending");
        TrendFormulas.Percentile90([]).Should().Be(double.PositiveInfinity);
    }

    [Fact]
    public void EngagementRate_OfAPost_AndViewWeightedOfAnAccount()
    {
        TrendFormulas.EngagementRate(1_000, 50, 10, 30, 10).Should().Be(0.1);
        TrendFormulas.EngagementRate(0, 5, 0, 0).Should().Be(0);
        // Posts: 1,000 views at 10 % and 3,000 views at 2 % → (100 + 60) / 4,000 = 4 %.
        TrendFormulas.EngagementRate([(1_000L, 100L, 0L, 0L, 0L), (3_000L, 40L, 10L, 10L, 0L)]).Should().Be(0.04);
    }

    [Fact]
    public void UnderClippedRatio_IsDemandPerClipperPlusOne()
    {
        TrendFormulas.UnderClippedRatio(900, 2).Should().Be(300);
        TrendFormulas.UnderClippedRatio(900, 0).Should().Be(900);
        TrendFormulas.UnderClippedRatio(-5, 0).Should().Be(0);
    }

    [Fact]
    public void ClipShareOfVoice_IsClipViewsOverClipPlusOwnViews()
    {
        TrendFormulas.ClipShareOfVoice(300, 700).Should().Be(0.3);
        TrendFormulas.ClipShareOfVoice(0, 0).Should().Be(0);
        TrendFormulas.ClipShareOfVoice(100, -50).Should().Be(1);
    }

    [Fact]
    public void Opportunity_IsDemandOverSupply_MinMaxNormalised()
    {
        // 24 h, demand 1,000 views/h, 3 posts → supply 3/24 = 0.125 posts/h, + 1/24 smoothing = 0.1666…
        TrendFormulas.OpportunityRaw(1_000, 2, 3, TimeSpan.FromHours(24)).Should().BeApproximately(6_000, 1e-9);
        // No posts: 1,000 / (1/24) = 24,000.
        TrendFormulas.OpportunityRaw(1_000, 0, 0, TimeSpan.FromHours(24)).Should().BeApproximately(24_000, 1e-9);
        TrendFormulas.MinMaxNormalise(6_000, 0, 24_000).Should().Be(25);
        TrendFormulas.MinMaxNormalise(5, 5, 5).Should().Be(0);
    }
}
