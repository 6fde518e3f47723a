using FluentAssertions;
using Terminal.Core.Market;
using Terminal.Core.MarketSources;
using Terminal.Jobs.RealMarket;
using Xunit;

namespace Terminal.Tests.Core.MarketSources;

public sealed class MarketSourceRulesTests
{
    private static readonly AttributionCandidate Beast = new(1, "mrbeast", "UCX6OQ3DkcsbYNE6H8uQQuVA");
    private static readonly AttributionCandidate Kai = new(2, "kaicenat", "UCkai000000000000000000");

    [Theory]
    [InlineData("Island giveaway", "by @MrBeast", 1, "@mrbeast in the text")]
    [InlineData("Island", "https://www.youtube.com/channel/UCX6OQ3DkcsbYNE6H8uQQuVA", 1, "channel URL of UCX6OQ3DkcsbYNE6H8uQQuVA in the text")]
    [InlineData("@kaicenat reacts", "", 2, "@kaicenat in the text")]
    [InlineData("mail me at fan@mrbeast.com", "", null, "no creator named and no mapping")]
    [InlineData("@mrbeast x @kaicenat", "", null, "several creators named in the text")]
    public void Attribute_ReadsHandlesAndChannelUrls(string title, string description, int? expected, string reason)
    {
        var (creator, why) = ClipAttribution.Attribute(title, description, [], [Beast, Kai]);

        creator.Should().Be(expected);
        why.Should().Be(reason);
    }

    [Fact]
    public void Attribute_FallsBackToAMappingOfOneCreator()
    {
        ClipAttribution.Attribute("best moments", null, [2], [Beast, Kai]).Should().Be(((int?)2, "clipper mapping"));
        ClipAttribution.Attribute("best moments", null, [1, 2], [Beast, Kai]).CreatorId.Should().BeNull();
        ClipAttribution.Attribute("@mrbeast x @kaicenat", null, [2], [Beast, Kai]).Should().Be(((int?)2, "@kaicenat in the text (mapped)"));
    }

    [Theory]
    [InlineData("2026-11-28T07:59:59Z", "2026-11-27", "2026-11-28T08:00:00Z")] // PST: UTC−8
    [InlineData("2026-11-28T08:00:00Z", "2026-11-28", "2026-11-29T08:00:00Z")]
    [InlineData("2026-07-01T06:59:00Z", "2026-06-30", "2026-07-01T07:00:00Z")] // PDT: UTC−7
    public void PacificDay_AndReset_FollowLosAngeles(string utc, string day, string reset)
    {
        var t = DateTime.Parse(utc, null, System.Globalization.DateTimeStyles.AdjustToUniversal);

        PacificQuotaDay.Of(t).Should().Be(day);
        PacificQuotaDay.NextReset(t).Should().Be(DateTime.Parse(reset, null, System.Globalization.DateTimeStyles.AdjustToUniversal));
    }

    [Fact]
    public void Planner_StretchesTheIntervalToFitTheQuotaLeft()
    {
        var settings = new YouTubeMarketOptions { StatsIntervalSeconds = 3600, DailyQuota = 10_000, PlannedShare = 0.9 };
        var now = new DateTime(2026, 11, 28, 8, 0, 0, DateTimeKind.Utc); // Pacific midnight: 24 h left

        // 100 units a run hourly = 2,400 a day: fits in 9,000, the configured hour stands.
        YouTubeMarketPoller.PlanInterval(settings, now, 100, 0).Should().Be(TimeSpan.FromHours(1));
        // 900 units a run: 9,000 / 900 = 10 runs in 24 h → one run every 2.4 h.
        YouTubeMarketPoller.PlanInterval(settings, now, 900, 0).Should().Be(TimeSpan.FromHours(2.4));
        // 8,100 used already: 900 left → one 900-unit run for the rest of the day.
        YouTubeMarketPoller.PlanInterval(settings, now, 900, 8_100).Should().Be(TimeSpan.FromHours(24));
    }

    [Theory]
    [InlineData(null, MarketSourceFilter.All)]
    [InlineData("LIVE", MarketSourceFilter.Live)]
    [InlineData("demo", MarketSourceFilter.Demo)]
    public void SourceFilter_Parses(string? text, MarketSourceFilter expected)
    {
        MarketSourceFilters.TryParse(text, out var source).Should().BeTrue();
        source.Should().Be(expected);
        MarketSourceFilters.TryParse("both", out _).Should().BeFalse();
    }
}
