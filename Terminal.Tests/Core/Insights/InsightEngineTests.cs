using Terminal.Core.Insights;
using Terminal.Core.Market;

namespace Terminal.Tests.Core.Insights;

/// <summary>The detector, outliers, best times, opportunity gaps and post features on small cases worked out by hand.</summary>
public sealed class InsightEngineTests
{
    private static readonly DateTime Wednesday1930 = new(2026, 11, 25, 19, 30, 0, DateTimeKind.Utc);

    private static InsightRow Row(int i, double seconds, double views) =>
        new($"clip:{i}", 1, PostFeatures.Compute("same title", Platform.YouTube, Wednesday1930, seconds, PostFormat.ShortForm), views);

    [Fact]
    public void Detector_OnTwoSeparatedGroups_FindsTheHandComputedEffectsAndCallsThemSignificant()
    {
        // <20s: 10, 20, 30 (median 20); 20-40s: 40, 50, 60 (median 50). Every other feature is shared, so only duration is tested.
        // 20-40s: effect 50/20 = 2.5; <20s: 20/50 = 0.4. Mann–Whitney for either: U = 0, mean 4.5, variance 9/12·7 = 5.25,
        // z = 4.5/2.29129 = 1.96396, p = 0.04953; BH over the two equal p-values leaves q = 0.04953 < 0.05.
        // Bootstrap medians of the 20-40s group lie in {40, 50, 60}, of the rest in {10, 20, 30}: every ratio is in [4/3, 6], so the interval excludes 1.
        InsightRow[] rows = [Row(1, 10, 10), Row(2, 10, 20), Row(3, 10, 30), Row(4, 30, 40), Row(5, 30, 50), Row(6, 30, 60)];
        var result = PatternDetector.Detect(rows, new PatternOptions { MinGroupSize = 2 });

        result.N.Should().Be(6);
        result.Findings.Should().HaveCount(2).And.OnlyContain(f => f.Feature == "duration");
        var longer = result.Findings.Single(f => f.Group == "20-40s");
        longer.Effect.Should().BeApproximately(2.5, 1e-12);
        longer.Low.Should().BeInRange(4 / 3.0, 2.5);
        longer.High.Should().BeInRange(2.5, 6);
        longer.P.Should().BeApproximately(0.04953, 1e-4);
        longer.Q.Should().BeApproximately(0.04953, 1e-4);
        longer.Significant.Should().BeTrue();
        longer.HitRate.Should().Be(1, "all three beat the overall median of 35");
        var shorter = result.Findings.Single(f => f.Group == "<20s");
        shorter.Effect.Should().BeApproximately(0.4, 1e-12);
        shorter.Significant.Should().BeTrue();
        result.Insights.Should().HaveCount(2);
    }

    [Fact]
    public void Detector_GroupBelowTheMinimumSize_HasNullNumbersAndANote()
    {
        InsightRow[] rows = [Row(1, 10, 10), Row(2, 10, 20), Row(3, 10, 30), Row(4, 30, 40), Row(5, 30, 50), Row(6, 30, 60)];
        var result = PatternDetector.Detect(rows, new PatternOptions { MinGroupSize = 4 });

        result.Findings.Should().HaveCount(2).And.OnlyContain(f =>
            f.Effect == null && f.Low == null && f.High == null && f.Q == null && !f.Significant && f.Note == PatternDetector.NotEnoughData);
        result.Insights.Should().ContainSingle().Which.Should().NotMatchRegex(@"\d");
    }

    [Fact]
    public void Detector_SameRowsAndSeed_GiveTheSameFindings()
    {
        var rng = new Random(3);
        var rows = Enumerable.Range(0, 200).Select(i => Row(i, rng.Next(5, 80), Math.Exp(rng.NextDouble() * 5))).ToArray();
        var a = PatternDetector.Detect(rows);
        var b = PatternDetector.Detect(rows);
        b.Findings.Should().Equal(a.Findings);
    }

    [Fact]
    public void Insights_OnlyStateNumbersThatTheFindingsCarry()
    {
        InsightRow[] rows = [Row(1, 10, 10), Row(2, 10, 20), Row(3, 10, 30), Row(4, 30, 40), Row(5, 30, 50), Row(6, 30, 60)];
        var result = PatternDetector.Detect(rows, new PatternOptions { MinGroupSize = 2 });
        var facts = InsightWriter.FactsOf(result.Findings).ToArray();
        var labels = InsightWriter.LabelsOf(result.Findings).ToArray();
        foreach (var sentence in result.Insights)
        {
            InsightWriter.UnsupportedNumbers(sentence, facts, labels).Should().BeEmpty(sentence);
        }

        InsightWriter.UnsupportedNumbers("\"Duration 20–40 s\": ×3.70 the rest's", facts, labels).Should().Equal("3.70");
    }

    [Fact]
    public void Insights_NameGroupsByTheLabelsTheUiShows_NotByRawKeys()
    {
        // Titles with a digit (10, 20, 30 views) against titles without (40, 50, 60): the same hand-computed 2.5 / 0.4 split as above.
        InsightRow[] rows =
        [
            .. new[] { 10.0, 20, 30 }.Select((v, i) => new InsightRow($"clip:{i}", 1, PostFeatures.Compute("top 5", Platform.YouTube, Wednesday1930, 30, PostFormat.ShortForm), v)),
            .. new[] { 40.0, 50, 60 }.Select((v, i) => new InsightRow($"clip:{i + 3}", 1, PostFeatures.Compute("top five", Platform.YouTube, Wednesday1930, 30, PostFormat.ShortForm), v)),
        ];
        var result = PatternDetector.Detect(rows, new PatternOptions { MinGroupSize = 2 });

        result.Insights.Should().HaveCount(2);
        result.Insights.Should().Contain(s => s.StartsWith("\"Title without a number\": median views ×2.50", StringComparison.Ordinal));
        result.Insights.Should().Contain(s => s.StartsWith("\"Title with a number\": median views ×0.40", StringComparison.Ordinal));
        result.Insights.Should().OnlyContain(s => !s.Contains("titleHasNumber", StringComparison.Ordinal) && !s.Contains("\"no\"", StringComparison.Ordinal) && !s.Contains("\"yes\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Outliers_RatioIsViewsOverTheMedianOfTheCreatorsEarlierPosts()
    {
        // Earlier posts 100, 200, 300 at 24 h → baseline 200; the fourth has 1,000 → ratio 5. The bootstrap baseline takes
        // 100 or 300 with chance 7/27 each (> 2.5 %), so its 2.5th/97.5th percentiles are 100 and 300: low 1,000/300, high 10.
        OutlierCandidate[] posts =
        [
            new("clip:1", "a", 7, Wednesday1930.AddDays(-4), 100),
            new("clip:2", "b", 7, Wednesday1930.AddDays(-3), 200),
            new("clip:3", "c", 7, Wednesday1930.AddDays(-2), 300),
            new("clip:4", "d", 7, Wednesday1930.AddDays(-1), 1_000),
            new("clip:5", "young", 7, Wednesday1930, null),
        ];
        var outliers = OutlierScorer.Score(posts, TimeSpan.FromHours(24), DateTime.MinValue, DateTime.MaxValue);

        var top = outliers.Should().ContainSingle().Subject;
        top.Entity.Should().Be("clip:4");
        top.Baseline.Should().Be(200);
        top.Ratio.Should().Be(5);
        top.Low.Should().BeApproximately(1_000 / 300.0, 1e-9);
        top.High.Should().BeApproximately(10, 1e-9);
        top.AgeHours.Should().Be(24);
    }

    [Fact]
    public void Outliers_AreOrderedHighestRatioFirst_AndOnlyFromThePeriod()
    {
        var posts = Enumerable.Range(0, 8).Select(i => new OutlierCandidate($"clip:{i}", "t", 1, Wednesday1930.AddDays(i), i == 5 ? 5_000 : i == 6 ? 900 : 100 + i)).ToList();
        var outliers = OutlierScorer.Score(posts, TimeSpan.FromHours(24), Wednesday1930.AddDays(4), Wednesday1930.AddDays(7));
        outliers.Select(o => o.Entity).Should().Equal("clip:5", "clip:6", "clip:7", "clip:4");
        outliers.Should().BeInDescendingOrder(o => o.Ratio);
    }

    [Fact]
    public void BestTimes_GiveHourEffects_AndSayNotEnoughPostsForSparseHours()
    {
        // Five posts at Monday 18 h with 300 views, five at Monday 9 h with 100: 18 h is 300/100 = 3 (every resample agrees), 9 h 1/3.
        var posts = Enumerable.Repeat((18, 300.0), 5).Concat(Enumerable.Repeat((9, 100.0), 5)).ToList();
        var result = BestTimes.Compute(posts);
        result.Hours.Should().HaveCount(168);
        result.Note.Should().BeNull();
        result.Hours[18].Should().Be(new HourOfWeekEffect(18, 5, 3, 3, 3, null));
        result.Hours[9].Effect.Should().BeApproximately(1 / 3.0, 1e-12);
        result.Hours[10].Should().Be(new HourOfWeekEffect(10, 0, null, null, null, BestTimes.NotEnoughPosts));

        BestTimes.Compute([(18, 300.0), (9, 100.0)]).Note.Should().Be(BestTimes.NotEnoughPosts);
    }

    [Fact]
    public void OpportunityGaps_ShrinkTheRateOfSmallTopics_TowardTheMarket()
    {
        // Window 24 h, one active creator each: exposures 24 and 24; posts 0 and 24 → m = 24/48 = 0.5,
        // s² = (24·0.25 + 24·0.25)/48 = 0.25, τ² = 0.25 − 0.5/24 = 11/48, α = 0.25/τ² = 12/11, β = 0.5/τ² = 24/11.
        // Posterior means: quiet (12/11)/(24/11 + 24) = 1/24; busy (12/11 + 24)/(288/11) = 276/288 = 0.958333.
        // Raw gaps: 1,000/(1/24 + 1/24) = 12,000 and 1,000/(0.958333 + 1/24) = 1,000 → normalised 100 and 0.
        TopicSupply[] topics = [new(1, "quiet", 1_000, 1, 0), new(2, "busy", 1_000, 1, 24)];
        var gaps = OpportunityGaps.Compute(topics, TimeSpan.FromHours(24));

        var quiet = gaps.Single(g => g.TopicId == 1);
        quiet.Supply.Should().BeApproximately(1 / 24.0, 1e-9);
        quiet.Gap.Should().Be(100);
        quiet.Low.Should().BeLessThan(100).And.BeGreaterThanOrEqualTo(0);
        var busy = gaps.Single(g => g.TopicId == 2);
        busy.Supply.Should().BeApproximately(276 / 288.0, 1e-9);
        busy.Gap.Should().Be(0);
        busy.High.Should().BeGreaterThan(0);
        gaps[0].TopicId.Should().Be(1, "the widest gap comes first");
        gaps.Should().OnlyContain(g => g.Low <= g.Gap && g.Gap <= g.High && g.Ideas.Count > 0);
    }

    [Fact]
    public void OpportunityGaps_WithEqualRates_PoolCompletely()
    {
        // Rates 10/24 and 20/48 are equal: s² = 0 ≤ m/Ē, so every topic's rate is the pooled m = 30/72.
        TopicSupply[] topics = [new(1, "a", 500, 1, 10), new(2, "b", 500, 2, 20)];
        var gaps = OpportunityGaps.Compute(topics, TimeSpan.FromHours(24));
        gaps.Single(g => g.TopicId == 1).Supply.Should().BeApproximately(30 / 72.0, 1e-12);
        gaps.Single(g => g.TopicId == 2).Supply.Should().BeApproximately(2 * 30 / 72.0, 1e-12);
    }

    [Fact]
    public void PostFeatures_AreReadFromTitleTimeAndDuration()
    {
        // Wednesday 2026-11-25 19:30 UTC: hour of week 2·24 + 19 = 67, evening. Title of 32 UTF-16 units (the emoji counts 2).
        var f = PostFeatures.Compute("Top 5 moments? 🔥 #gaming #clips", Platform.TikTok, Wednesday1930, 45, PostFormat.ShortForm);
        f.Should().Be(new PostFeatures("40-60s", 67, "wed", "evening", "30-60", "yes", "yes", "yes", "1-2", "short", "tiktok"));

        var eastern = TimeZoneInfo.CreateCustomTimeZone("UTC-5", TimeSpan.FromHours(-5), "UTC-5", "UTC-5");
        var local = PostFeatures.Compute("plain", Platform.YouTube, Wednesday1930, null, PostFormat.LongForm, eastern);
        local.HourOfWeek.Should().Be(62);
        local.Daypart.Should().Be("afternoon");
        local.Duration.Should().Be("unknown");
        local.TitleHasNumber.Should().Be("no");
        PostFeatures.CountHashtags("part #1 of #two").Should().Be(1);
    }

    [Fact]
    public void StoredFeatures_DecodeToWhatWasEncoded_AndAnotherVersionOrMalformedTextToNull()
    {
        var f = PostFeatures.Compute("Top 5 moments? 🔥 #gaming #clips", Platform.TikTok, Wednesday1930, 45, PostFormat.ShortForm);

        f.Encode().Should().Be("1|40-60s|67|wed|evening|30-60|yes|yes|yes|1-2|short|tiktok");
        PostFeatures.Decode(f.Encode()).Should().Be(f);
        PostFeatures.Decode("0|40-60s|67|wed|evening|30-60|yes|yes|yes|1-2|short|tiktok").Should().BeNull("an older definition is computed again");
        PostFeatures.Decode("1|40-60s|168|wed|evening|30-60|yes|yes|yes|1-2|short|tiktok").Should().BeNull("an hour of the week is 0–167");
        PostFeatures.Decode("1|40-60s|67").Should().BeNull();
        PostFeatures.Decode(null).Should().BeNull();
    }
}
