using Terminal.Core.Insights;

namespace Terminal.Tests.Core.Insights;

/// <summary>INSG prints people's words and formatted numbers, never raw feature keys.</summary>
public sealed class InsightLabelsTests
{
    [Theory]
    [InlineData("duration", "20-40s", "Duration 20–40 s")]
    [InlineData("duration", "60s-3m", "Duration 1–3 min")]
    [InlineData("daypart", "evening", "Posted in the evening (18–24 h)")]
    [InlineData("daypart", "night", "Posted at night (0–6 h)")]
    [InlineData("weekday", "sat", "Posted on Saturday")]
    [InlineData("titleHasNumber", "yes", "Title with a number")]
    [InlineData("titleHasEmoji", "no", "Title without an emoji")]
    [InlineData("hashtags", "3+", "3 or more hashtags")]
    [InlineData("format", "live", "Live broadcast")]
    [InlineData("platform", "tiktok", "On TikTok")]
    public void Group_ReadsAsWords(string feature, string group, string expected) =>
        InsightLabels.Group(feature, group).Should().Be(expected);

    [Fact]
    public void EveryTestedFeature_HasADefinitionAndAWordedGroup()
    {
        foreach (var key in PostFeatures.TestedKeys)
        {
            InsightLabels.Definition(key).Should().NotBe(key).And.EndWith(".");
            InsightLabels.Group(key, "x").Should().NotContain("=", because: key + " has its own wording");
        }
    }

    [Fact]
    public void Numbers_AreFormattedAsRatiosIntervalsAndScientificQ()
    {
        InsightLabels.Ratio(1.8372).Should().Be("1.84×");
        InsightLabels.Interval(1.7891, 1.8912).Should().Be("[1.79×, 1.89×]");
        InsightLabels.Interval(null, 2).Should().Be("—");
        InsightLabels.Q(0.0123).Should().Be("0.012");
        InsightLabels.Q(3.21e-7).Should().Be("3.2e-7");
        InsightLabels.Q(null).Should().Be("—");
        InsightLabels.HourOfWeek(24 + 18).Should().Be("Tue 18 h");
    }
}
