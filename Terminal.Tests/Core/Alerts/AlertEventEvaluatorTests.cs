using Terminal.Core.Alerts;
using Terminal.Core.Market;

namespace Terminal.Tests.Core.Alerts;

/// <summary>Event kinds (new VOD, live start): once per event, the cooldown between events of one creator.</summary>
public sealed class AlertEventEvaluatorTests
{
    private static readonly DateTime T0 = new(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc);

    private static AlertRule LiveRule(int cooldownMinutes) =>
        new(1, "u", AlertKind.LiveStart, new AlertScope(AlertScopeType.Creator, 7), 0, cooldownMinutes, AlertChannels.Toast, Period.Day, T0);

    [Fact]
    public void TheSameEvent_FiresOnce_EvenWhenRepolled()
    {
        var evaluator = new AlertEvaluator();
        var rule = LiveRule(cooldownMinutes: 0);

        evaluator.ObserveEvent(rule, "creator:7", "video-a", T0).Should().BeTrue();
        evaluator.ObserveEvent(rule, "creator:7", "video-a", T0.AddMinutes(5)).Should().BeFalse("the next poll still sees the same stream live");
        evaluator.ObserveEvent(rule, "creator:7", "video-b", T0.AddMinutes(6)).Should().BeTrue("a new stream is a new event");
    }

    [Fact]
    public void ANewEventWithinTheCooldown_DoesNotFire_OneAfterItDoes()
    {
        var evaluator = new AlertEvaluator();
        var rule = LiveRule(cooldownMinutes: 30);

        evaluator.ObserveEvent(rule, "creator:7", "video-a", T0).Should().BeTrue();
        evaluator.ObserveEvent(rule, "creator:7", "video-b", T0.AddMinutes(10)).Should().BeFalse("a restarted stream within the cooldown stays quiet");
        evaluator.ObserveEvent(rule, "creator:8", "video-c", T0.AddMinutes(10)).Should().BeTrue("the cooldown is per creator");
        evaluator.ObserveEvent(rule, "creator:7", "video-d", T0.AddMinutes(31)).Should().BeTrue();
    }
}
