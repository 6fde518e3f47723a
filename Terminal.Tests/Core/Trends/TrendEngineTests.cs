using Terminal.Core.Market;
using Terminal.Core.Trends;

namespace Terminal.Tests.Core.Trends;

/// <summary>
/// A small market worked out by hand (see the comments for each number), read through the engine.
/// now = 2026-01-10 12:00 UTC, window 1 h unless said otherwise.
/// </summary>
public sealed class TrendEngineTests
{
    private static readonly DateTime Now = new(2026, 1, 10, 12, 0, 0, DateTimeKind.Utc);

    private static TrendEngine Market()
    {
        var engine = new TrendEngine();
        engine.Register(
        [
            new EntityInfo(EntityKind.Topic, 1, "Edits", null, 1),
            new EntityInfo(EntityKind.Topic, 2, "Pods", null, 2),
            new EntityInfo(EntityKind.Creator, 1, "alpha", Platform.TikTok, 1),
            new EntityInfo(EntityKind.Creator, 2, "bravo", Platform.TikTok, 2),
            new EntityInfo(EntityKind.Creator, 3, "charlie", Platform.YouTube, 1),
            new EntityInfo(EntityKind.Clip, 10, "alpha moment", Platform.TikTok, 1, CreatorId: 1, ClipperId: 100, PublishedAt: Now.AddMinutes(-30)),
            new EntityInfo(EntityKind.Clip, 11, "alpha pod", Platform.Instagram, 2, CreatorId: 1, ClipperId: 101, PublishedAt: Now.AddMinutes(-90)),
            new EntityInfo(EntityKind.Clip, 12, "alpha again", Platform.TikTok, 1, CreatorId: 1, ClipperId: 100, PublishedAt: Now.AddMinutes(-20)),
        ]);
        engine.Ingest(
        [
            // alpha: 1,000 → 1,600 → 2,800: v = 1,200/h, earlier v = 600/h, Δ = +100 %.
            Snap(EntityKind.Creator, 1, -120, 1_000), Snap(EntityKind.Creator, 1, -60, 1_600), Snap(EntityKind.Creator, 1, 0, 2_800),
            // bravo: 500 at −3 h, 800 at −30 min: m(now) = 800, m(now − 1 h) = 500 → v = 300; earlier v = 0 → Δ null.
            Snap(EntityKind.Creator, 2, -180, 500), Snap(EntityKind.Creator, 2, -30, 800),
            // charlie: first seen at −30 min with 10,000 (flat backwards: m(now − 1 h) = 10,000) → v = 100.
            Snap(EntityKind.Creator, 3, -30, 10_000), Snap(EntityKind.Creator, 3, 0, 10_100),
            Snap(EntityKind.Clip, 10, -30, 0), Snap(EntityKind.Clip, 10, 0, 400),
            Snap(EntityKind.Clip, 11, -90, 0), Snap(EntityKind.Clip, 11, -60, 100), Snap(EntityKind.Clip, 11, 0, 300),
            Snap(EntityKind.Clip, 12, -20, 0), Snap(EntityKind.Clip, 12, 0, 50),
        ]);
        return engine;
    }

    private static MetricSnapshot Snap(EntityKind kind, int id, int minutes, long views) =>
        new() { Kind = kind, EntityId = id, At = Now.AddMinutes(minutes), Views = views, Likes = views / 10 };

    private static TrendItem Item(TrendResult result, int id) => result.Data.Single(i => i.Id == id);

    [Fact]
    public void Creators_VelocityAndChange_FollowAtOrBeforeAndFlatBackwards()
    {
        using var market = Market();
        var result = market.Query(new TrendQuery(EntityKind.Creator, null, Period.Hour), Now);

        Item(result, 1).Velocity.Should().Be(1_200);
        Item(result, 1).Change.Should().Be(1.0);
        Item(result, 2).Velocity.Should().Be(300);
        Item(result, 2).Change.Should().BeNull();
        Item(result, 3).Velocity.Should().Be(100);
        Item(result, 3).Change.Should().BeNull();
        result.GeneratedAt.Should().Be(Now);
    }

    [Fact]
    public void Creators_RankByHeat_PercentileWithinTheirOwnPlatform()
    {
        using var market = Market();
        var result = market.Query(new TrendQuery(EntityKind.Creator, null, Period.Hour), Now);

        // TikTok {1,200, 300}: alpha 100, bravo 50; YouTube {100}: charlie 100. Ties on heat go to velocity.
        result.Data.Select(i => (i.Rank, i.Id, i.Heat)).Should().Equal((1, 1, 100.0), (2, 3, 100.0), (3, 2, 50.0));
        result.Data.Select(i => i.Platform).Should().Equal(Platform.TikTok, Platform.YouTube, Platform.TikTok);
    }

    [Fact]
    public void Creators_ClipperCount_IsDistinctClippersPublishingInTheWindow()
    {
        using var market = Market();
        var item = Item(market.Query(new TrendQuery(EntityKind.Creator, null, Period.Hour), Now), 1);

        // Clips 10 and 12 (clipper 100) are inside (now − 1 h, now]; clip 11 (clipper 101) came out 90 min ago.
        item.ClipperCount.Should().Be(1);
        Item(market.Query(new TrendQuery(EntityKind.Creator, null, Period.Day), Now), 1).ClipperCount.Should().Be(2);
    }

    [Fact]
    public void Creators_ShareOfVoice_UnderClipped_AndTrending()
    {
        using var market = Market();
        var result = market.Query(new TrendQuery(EntityKind.Creator, null, Period.Hour), Now);
        var alpha = Item(result, 1);

        // Clips gained 400 + 200 + 50 = 650, own posts 1,200 → 650 / 1,850.
        alpha.ClipShareOfVoice.Should().BeApproximately(650.0 / 1_850, 1e-12);
        // Demand per clipper: alpha 1,200 / 2 = 600, bravo 300 / 1 = 300 → 100 and 50 within TikTok.
        alpha.UnderClippedScore.Should().Be(100);
        Item(result, 2).UnderClippedScore.Should().Be(50);
        // TikTok p90 of {300, 1,200} is 1,200: alpha trends, bravo does not; charlie is alone on YouTube.
        alpha.Trending.Should().BeTrue();
        Item(result, 2).Trending.Should().BeFalse();
        Item(result, 3).Trending.Should().BeTrue();
    }

    [Fact]
    public void Clips_HeatCarriesRecency()
    {
        using var market = Market();
        var result = market.Query(new TrendQuery(EntityKind.Clip, null, Period.Hour), Now);

        // TikTok {400, 50}: clip 10 → 100 × e^(−0.5); clip 12 → 50 × e^(−1/3). Instagram {200}: 100 × e^(−1.5).
        Item(result, 10).Heat.Should().BeApproximately(100 * Math.Exp(-0.5), 1e-9);
        Item(result, 12).Heat.Should().BeApproximately(50 * Math.Exp(-1.0 / 3), 1e-9);
        Item(result, 11).Heat.Should().BeApproximately(100 * Math.Exp(-1.5), 1e-9);
        Item(result, 11).Velocity.Should().Be(200);
        result.Data.Select(i => i.Id).Should().Equal(10, 12, 11);
    }

    [Fact]
    public void Topics_VelocityIsTheSumOfTheirPosts_AndOpportunityIsNormalised()
    {
        using var market = Market();
        var result = market.Query(new TrendQuery(EntityKind.Topic, null, Period.Hour), Now);

        // Edits: alpha 1,200 + charlie 100 + clip 10 400 + clip 12 50; Pods: bravo 300 + clip 11 200.
        Item(result, 1).Velocity.Should().Be(1_750);
        Item(result, 2).Velocity.Should().Be(500);
        Item(result, 1).ClipperCount.Should().Be(1);
        Item(result, 2).ClipperCount.Should().Be(0);
        // Raw: Edits 1,750 / (2 posts/h + 1) = 583.3; Pods 500 / (0 + 1) = 500 → 100 and 0.
        Item(result, 1).OpportunityGap.Should().Be(100);
        Item(result, 2).OpportunityGap.Should().Be(0);
        Item(result, 1).Platform.Should().BeNull();
    }

    [Fact]
    public void Topics_OnOnePlatform_CountOnlyThatPlatformsPosts()
    {
        using var market = Market();
        var result = market.Query(new TrendQuery(EntityKind.Topic, Platform.TikTok, Period.Hour), Now);

        // Edits on TikTok: alpha 1,200 + clips 10 and 12 (450); charlie is on YouTube.
        Item(result, 1).Velocity.Should().Be(1_650);
        Item(result, 1).Platform.Should().Be(Platform.TikTok);
    }

    [Fact]
    public void NicheFilter_MultipliesHeatByRelevance_AndDropsUnrelatedEntities()
    {
        using var market = Market();
        var result = market.Query(new TrendQuery(EntityKind.Creator, null, Period.Hour, TopicId: 2), Now);

        // Pods: bravo's own topic (relevance 1); alpha has a clip filed under Pods (0.5); charlie is unrelated.
        result.Data.Select(i => i.Id).Should().BeEquivalentTo([1, 2]);
        Item(result, 2).Heat.Should().Be(50);
        Item(result, 1).Heat.Should().Be(50);
    }

    [Fact]
    public void Sparkline_IsVelocityPerTwelfthOfTheWindow()
    {
        using var market = Market();
        var alpha = Item(market.Query(new TrendQuery(EntityKind.Creator, Platform.TikTok, Period.Hour), Now), 1);

        // 1,600 held until the reading at now: the last 5-minute slice gains 1,200 → 14,400/h.
        alpha.Sparkline.Should().HaveCount(12);
        alpha.Sparkline.Take(11).Should().OnlyContain(v => v == 0);
        alpha.Sparkline[11].Should().BeApproximately(14_400, 1e-6);
    }

    [Fact]
    public void LateAndDuplicateReadings_AreOrderedAndReplaced()
    {
        using var engine = Market();
        // A late reading between −60 and 0, and a correction of the reading at −60.
        engine.Ingest([Snap(EntityKind.Creator, 1, -10, 2_000), Snap(EntityKind.Creator, 1, -60, 1_700)]);

        var alpha = Item(engine.Query(new TrendQuery(EntityKind.Creator, null, Period.Hour), Now), 1);
        alpha.Velocity.Should().Be(1_100);
        engine.ValueAt(EntityKind.Creator, 1, Metric.Views, Now.AddMinutes(-5)).Should().Be(2_000);
    }

    [Fact]
    public void SearchAndLimit_SliceTheRanking_KeepingRanks()
    {
        using var engine = Market();
        var result = engine.Query(new TrendQuery(EntityKind.Creator, null, Period.Hour, Limit: 1, Search: "BRA"), Now);
        result.Data.Should().ContainSingle().Which.Should().Match<TrendItem>(i => i.Id == 2 && i.Rank == 3);
    }

    [Fact]
    public void Ids_KeepOnlyThoseEntities_WithTheirRanksInTheWholeRanking()
    {
        using var engine = Market();
        // Limit 1 counts the matching rows: bravo (rank 3 of the whole ranking) still shows.
        var result = engine.Query(new TrendQuery(EntityKind.Creator, null, Period.Hour, Limit: 1) { Ids = new HashSet<int> { 2 } }, Now);
        result.Data.Should().ContainSingle().Which.Should().Match<TrendItem>(i => i.Id == 2 && i.Rank == 3);
        engine.Query(new TrendQuery(EntityKind.Creator, null, Period.Hour) { Ids = new HashSet<int>() }, Now).Data.Should().BeEmpty();
    }

    [Fact]
    public void TrendingVods_SumTheirClipsVelocities()
    {
        var vodA = Guid.NewGuid();
        var vodB = Guid.NewGuid();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now);
        using var timed = new TrendEngine(clock);
        timed.Register(
        [
            new EntityInfo(EntityKind.Creator, 1, "alpha", Platform.TikTok, 1),
            new EntityInfo(EntityKind.Clip, 20, "a", Platform.TikTok, 1, 1, 100, Now.AddHours(-5), vodA),
            new EntityInfo(EntityKind.Clip, 21, "b", Platform.TikTok, 1, 1, 100, Now.AddHours(-5), vodB),
        ]);
        timed.Ingest([Snap(EntityKind.Clip, 20, -600, 0), Snap(EntityKind.Clip, 20, 0, 10_000), Snap(EntityKind.Clip, 21, -600, 0), Snap(EntityKind.Clip, 21, 0, 10)]);

        // Two VODs on TikTok: p90 of {10/24, 10,000/24} is the larger → only vodA trends.
        timed.TrendingVods(Period.Day).Should().BeEquivalentTo([vodA]);
    }
}
