using Terminal.Core.Alerts;
using Terminal.Core.Market;

namespace Terminal.Tests.Core.Alerts;

public sealed class AlertEvaluatorTests
{
    private static readonly DateTime T0 = new(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc);

    // Heat crossing 80: the hysteresis band is max(1, 5 % of 80) = 4, so the rule re-arms at 76 or below.
    private static AlertRule HeatRule(int cooldownMinutes = 0) =>
        new(1, "u", AlertKind.HeatCross, new AlertScope(AlertScopeType.Creator, 7), 80, cooldownMinutes, AlertChannels.Toast, Period.Day, T0);

    [Fact]
    public void Crossing_FiresOnTheTickItHappens_Once()
    {
        var evaluator = new AlertEvaluator();
        var rule = HeatRule();

        evaluator.Observe(rule, "creator:7", 70, T0).Should().BeFalse();
        evaluator.Observe(rule, "creator:7", 81, T0.AddSeconds(1)).Should().BeTrue("the value crossed 80 on this tick");
        evaluator.Observe(rule, "creator:7", 85, T0.AddSeconds(2)).Should().BeFalse("it already fired and stayed above");
    }

    [Fact]
    public void HoveringAtTheThreshold_DoesNotRefire()
    {
        var evaluator = new AlertEvaluator();
        var rule = HeatRule();
        var fired = 0;
        double[] hover = [79.9, 80.1, 79.8, 80.0, 78.5, 80.3, 77, 80.2];
        for (var i = 0; i < hover.Length; i++)
        {
            fired += evaluator.Observe(rule, "creator:7", hover[i], T0.AddSeconds(i)) ? 1 : 0;
        }

        fired.Should().Be(1, "none of the dips reached 76, the re-arm level");
    }

    [Fact]
    public void LeavingByTheBand_ReArms_AndTheNextCrossingFires()
    {
        var evaluator = new AlertEvaluator();
        var rule = HeatRule();

        evaluator.Observe(rule, "creator:7", 82, T0).Should().BeTrue();
        evaluator.Observe(rule, "creator:7", 76, T0.AddSeconds(1)).Should().BeFalse();
        evaluator.Observe(rule, "creator:7", 81, T0.AddSeconds(2)).Should().BeTrue("76 is 80 − 4: the rule re-armed");
    }

    [Fact]
    public void Cooldown_HoldsBackASecondCrossing_UntilItEnds()
    {
        var evaluator = new AlertEvaluator();
        var rule = HeatRule(cooldownMinutes: 10);

        evaluator.Observe(rule, "creator:7", 90, T0).Should().BeTrue();
        evaluator.Observe(rule, "creator:7", 50, T0.AddMinutes(1)).Should().BeFalse();
        evaluator.Observe(rule, "creator:7", 90, T0.AddMinutes(2)).Should().BeFalse("within the 10-minute cooldown");
        evaluator.Observe(rule, "creator:7", 90, T0.AddMinutes(10)).Should().BeTrue("the cooldown is over and the rule is still armed");
    }

    [Fact]
    public void BelowRule_FiresWhenTheChangeFalls_AndEntitiesAreIndependent()
    {
        var evaluator = new AlertEvaluator();
        var rule = new AlertRule(2, "u", AlertKind.VelocityChangeBelow, new AlertScope(AlertScopeType.Watchlist, 1), -20, 0, AlertChannels.Toast, Period.Day, T0);

        evaluator.Observe(rule, "creator:1", -10, T0).Should().BeFalse();
        evaluator.Observe(rule, "creator:1", -25, T0.AddSeconds(1)).Should().BeTrue();
        evaluator.Observe(rule, "creator:2", -30, T0.AddSeconds(1)).Should().BeTrue("another member has its own state");
        evaluator.Observe(rule, "creator:1", -19.5, T0.AddSeconds(2)).Should().BeFalse();
        evaluator.Observe(rule, "creator:1", -21, T0.AddSeconds(3)).Should().BeFalse("−19.5 is not back past −20 + 1");
    }

    [Fact]
    public void SeededWithAFiringInsideTheCooldown_StaysQuiet_UntilItReArmsAndTheCooldownIsOver()
    {
        var evaluator = new AlertEvaluator();
        var rule = HeatRule(cooldownMinutes: 10);
        evaluator.Seed(rule, "creator:7", T0, T0.AddMinutes(1));

        evaluator.Observe(rule, "creator:7", 90, T0.AddMinutes(2)).Should().BeFalse("fired a minute before the restart, still past the threshold");
        evaluator.Observe(rule, "creator:7", 90, T0.AddMinutes(20)).Should().BeFalse("past the cooldown but never re-armed");
        evaluator.Observe(rule, "creator:7", 70, T0.AddMinutes(21)).Should().BeFalse();
        evaluator.Observe(rule, "creator:7", 85, T0.AddMinutes(22)).Should().BeTrue("re-armed, then crossed again");
    }

    [Fact]
    public void SeededWithAFiringOlderThanTheCooldown_StaysArmed()
    {
        var evaluator = new AlertEvaluator();
        var rule = HeatRule(cooldownMinutes: 10);
        evaluator.Seed(rule, "creator:7", T0, T0.AddMinutes(30));

        evaluator.Observe(rule, "creator:7", 90, T0.AddMinutes(30)).Should().BeTrue("the stored firing's cooldown is over");
    }

    [Fact]
    public void ASeedOlderThanWhatTheEvaluatorKnows_ChangesNothing()
    {
        var evaluator = new AlertEvaluator();
        var rule = HeatRule(cooldownMinutes: 10);
        evaluator.Observe(rule, "creator:7", 90, T0).Should().BeTrue();
        evaluator.Observe(rule, "creator:7", 70, T0.AddMinutes(11)).Should().BeFalse("re-arms");
        evaluator.Seed(rule, "creator:7", T0, T0.AddMinutes(11));

        evaluator.Observe(rule, "creator:7", 90, T0.AddMinutes(12)).Should().BeTrue("the seed was the firing it already knew; it stays re-armed");
    }
}
