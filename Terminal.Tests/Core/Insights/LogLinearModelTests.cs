using Terminal.Core.Insights;
using Terminal.Core.Market;

namespace Terminal.Tests.Core.Insights;

/// <summary>The log-linear model with the creator's baseline as a covariate, on cases solved by hand.</summary>
public sealed class LogLinearModelTests
{
    private static readonly DateTime Wednesday1930 = new(2026, 11, 25, 19, 30, 0, DateTimeKind.Utc);

    // "a 1" has a number, "a b" has not; every other feature is shared, so only titleHasNumber is tested.
    private static InsightRow Row(int i, int creator, bool inGroup, double outcome) =>
        new($"clip:{i}", creator, PostFeatures.Compute(inGroup ? "a 1" : "a b", Platform.YouTube, Wednesday1930, 30, PostFormat.ShortForm), Math.Exp(outcome));

    [Fact]
    public void ExactData_GivesTheHandSolvedCoefficient()
    {
        // Creator 1: in 3, out 1 (baseline 2); creator 2: in 5, out 3 (baseline 4).
        // y = β0 + β1·x + β2·b: 3 = β0+β1+2β2, 1 = β0+2β2, 5 = β0+β1+4β2, 3 = β0+4β2 → β1 = 2, β2 = 1, β0 = −1; no residual.
        InsightRow[] rows = [Row(1, 1, true, 3), Row(2, 1, false, 1), Row(3, 2, true, 5), Row(4, 2, false, 3)];
        // Within creators: y − ȳ_c = +1, −1, +1, −1; x − x̄_c = ±½: Sxy = 2, Sxx = 2 − (1/2 + 1/2) = 1 → β = 2, residual 0.
        var fit = LogLinearModel.Fit(rows, [true, false, true, false])!.Value;

        fit.Effect.Should().BeApproximately(Math.Exp(2), 1e-9);
        fit.Low.Should().BeApproximately(Math.Exp(2), 1e-6, "no residual: the interval has no width");
        fit.High.Should().BeApproximately(Math.Exp(2), 1e-6);
    }

    [Fact]
    public void OneCreator_IsTheDifferenceOfMeanLogs_WithTheTInterval()
    {
        // Group 2, 4 (mean 3), rest 1, 1 (mean 1): β = 2. Residuals ±1, 0, 0 → RSS 2, df 4 − 1 creator − 1 = 2, σ² = 1;
        // Sxx = 2 − 2²/4 = 1, se = 1; t(0.975, 2) = 4.302653 → exp(2 ± 4.302653).
        InsightRow[] rows = [Row(1, 7, true, 2), Row(2, 7, true, 4), Row(3, 7, false, 1), Row(4, 7, false, 1)];

        var fit = LogLinearModel.Fit(rows, [true, true, false, false])!.Value;

        fit.Effect.Should().BeApproximately(Math.Exp(2), 1e-9);
        fit.Low.Should().BeApproximately(Math.Exp(2 - 4.302653), 1e-6);
        fit.High.Should().BeApproximately(Math.Exp(2 + 4.302653), 1e-3);
    }

    [Fact]
    public void AGroupThatDoesNotVaryWithinAnyCreator_HasNoAdjustedEffect()
    {
        // Creator 1 always in the group, creator 2 never: the group cannot be told apart from the creators' baselines.
        InsightRow[] rows = [Row(1, 1, true, 5), Row(2, 1, true, 6), Row(3, 2, false, 1), Row(4, 2, false, 2)];

        LogLinearModel.Fit(rows, [true, true, false, false]).Should().BeNull();
    }

    [Fact]
    public void ABigCreatorInTheGroup_InflatesThePlainRatio_ButNotTheAdjustedEffect()
    {
        // Creator 1 posts at e^10 whatever the title, creator 2 at e^2; creator 1 mostly uses numbers.
        // Group views {e^10, e^10, e^2} (median e^10) vs rest {e^10, e^2, e^2} (median e^2): plain ratio e^8 ≈ 2,981.
        // Within each creator every post has the same outcome: β = 0, adjusted effect 1 with no width.
        InsightRow[] rows = [Row(1, 1, true, 10), Row(2, 1, true, 10), Row(3, 1, false, 10), Row(4, 2, true, 2), Row(5, 2, false, 2), Row(6, 2, false, 2)];

        var result = PatternDetector.Detect(rows, new PatternOptions { MinGroupSize = 2 });

        var number = result.Findings.Single(f => f.Feature == "titleHasNumber" && f.Group == "yes");
        number.Effect.Should().BeApproximately(Math.Exp(8), 1e-6);
        number.AdjustedEffect.Should().BeApproximately(1, 1e-9);
        number.AdjustedLow.Should().BeApproximately(1, 1e-6);
        number.AdjustedHigh.Should().BeApproximately(1, 1e-6);
    }
}
