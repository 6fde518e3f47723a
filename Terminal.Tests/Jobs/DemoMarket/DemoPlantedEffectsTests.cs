using Terminal.Core.Insights;
using Terminal.Core.Market;
using Terminal.Jobs.DemoMarket;

namespace Terminal.Tests.Jobs.DemoMarket;

/// <summary>The demo market carries known effects (NUMBERS.md); the pattern detector must find them, and only them, from stored readings.</summary>
public sealed class DemoPlantedEffectsTests
{
    private static readonly DateTime Anchor = new(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>Rows of the default demo market: views at 24 h read by interpolation from the backfill's stored clip readings.</summary>
    internal static IReadOnlyList<InsightRow> DemoRows(DemoFeedOptions options, DateTime anchor)
    {
        var model = new DemoMarketModel(options, anchor);
        var readings = model.Backfill().Where(s => s.Kind == EntityKind.Clip)
            .GroupBy(s => s.EntityId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<(DateTime, long)>)g.OrderBy(s => s.At).Select(s => (s.At, s.Views)).ToArray());
        return model.HistoricClips
            .Select(c => readings.TryGetValue(c.Id, out var r) ? InsightRows.ForClip(c, r, InsightMath.DefaultAge) : null)
            .OfType<InsightRow>()
            .ToArray();
    }

    [Fact]
    public void Detector_OnTheDemoMarket_RecoversThePlantedEffects_AndDoesNotFlagTheNullFeature()
    {
        var rows = DemoRows(new DemoFeedOptions(), Anchor);
        rows.Count.Should().BeGreaterThan(1500);

        var result = PatternDetector.Detect(rows);

        var duration = result.Findings.Single(f => f.Feature == "duration" && f.Group == DemoPlantedEffects.DurationBand);
        duration.Significant.Should().BeTrue();
        duration.Q.Should().BeLessThan(0.05);
        duration.Low.Should().BeLessThanOrEqualTo(DemoPlantedEffects.DurationFactor).And.BeGreaterThan(1);
        duration.High.Should().BeGreaterThanOrEqualTo(DemoPlantedEffects.DurationFactor);

        var evening = result.Findings.Single(f => f.Feature == "daypart" && f.Group == DemoPlantedEffects.EveningDaypart);
        evening.Significant.Should().BeTrue();
        evening.Q.Should().BeLessThan(0.05);
        evening.Low.Should().BeLessThanOrEqualTo(DemoPlantedEffects.EveningFactor).And.BeGreaterThan(1);
        evening.High.Should().BeGreaterThanOrEqualTo(DemoPlantedEffects.EveningFactor);

        var weekdays = result.Findings.Where(f => f.Feature == DemoPlantedEffects.NullFeature).ToArray();
        weekdays.Should().HaveCount(7);
        weekdays.Should().OnlyContain(f => !f.Significant && f.Low <= 1 && f.High >= 1);
        result.Insights.Should().Contain(s => s.Contains("\"Duration 20–40 s\"", StringComparison.Ordinal))
            .And.Contain(s => s.Contains("\"Posted in the evening (18–24 h)\"", StringComparison.Ordinal));

        // The log-linear model (creator fixed effects) recovers the same truths: the planted factors do not depend on the creator.
        duration.AdjustedLow.Should().BeLessThanOrEqualTo(DemoPlantedEffects.DurationFactor).And.BeGreaterThan(1);
        duration.AdjustedHigh.Should().BeGreaterThanOrEqualTo(DemoPlantedEffects.DurationFactor);
        evening.AdjustedLow.Should().BeLessThanOrEqualTo(DemoPlantedEffects.EveningFactor).And.BeGreaterThan(1);
        evening.AdjustedHigh.Should().BeGreaterThanOrEqualTo(DemoPlantedEffects.EveningFactor);
    }

    [Fact]
    public void PlantedFactor_MultipliesEveryViewCount_OfTheBandAndTheEvening()
    {
        var evening = new DateTime(2026, 11, 3, 19, 0, 0, DateTimeKind.Utc);
        var morning = new DateTime(2026, 11, 3, 9, 0, 0, DateTimeKind.Utc);
        DemoPlantedEffects.Factor(30, evening).Should().BeApproximately(1.8 * 1.6, 1e-12);
        DemoPlantedEffects.Factor(30, morning).Should().Be(1.8);
        DemoPlantedEffects.Factor(50, evening).Should().Be(1.6);
        DemoPlantedEffects.Factor(null, morning).Should().Be(1);
    }
}
