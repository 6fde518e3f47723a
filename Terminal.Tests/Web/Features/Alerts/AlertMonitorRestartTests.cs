using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Alerts;
using Terminal.Core.Market;

namespace Terminal.Tests.Web.Features.Alerts;

/// <summary>
/// The evaluator's armed state and last firing live in memory; a monitor that starts (a restart) or takes
/// over evaluating (a producer failover) restores them from the stored firings, so an entity still past
/// its threshold does not fire again within the cooldown.
/// </summary>
public sealed class AlertMonitorRestartTests(AlertsFactory factory) : IClassFixture<AlertsFactory>
{
    private static int _nextId = 9500;

    private AlertMonitor NewMonitor() => new(
        factory.Market,
        factory.Services.GetRequiredService<IAlertStore>(),
        factory.Services.GetRequiredService<IWatchlistStore>(),
        []);

    [Fact]
    public async Task AfterARestart_AValueStillOverTheThreshold_DoesNotFireAgain_UntilItReArms()
    {
        var id = Interlocked.Increment(ref _nextId);
        var entity = $"creator:{id}";
        factory.Market.Set(EntityKind.Creator, id, heat: 90);
        var owner = await factory.CreateUserClientAsync();
        (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "heat_cross", scope = entity, threshold = 80, cooldownMinutes = 60 })).EnsureSuccessStatusCode();
        var now = DateTime.UtcNow;
        (await factory.Monitor.EvaluateAsync(now)).Should().ContainSingle(f => f.Entity == entity);

        using var restarted = NewMonitor();
        (await restarted.EvaluateAsync(now.AddMinutes(5))).Should().NotContain(f => f.Entity == entity, "the stored firing is 5 minutes old, inside the 60-minute cooldown");
        (await restarted.EvaluateAsync(now.AddMinutes(90))).Should().NotContain(f => f.Entity == entity, "fired and never back under the re-arm level");

        factory.Market.Set(EntityKind.Creator, id, heat: 70);
        (await restarted.EvaluateAsync(now.AddMinutes(91))).Should().NotContain(f => f.Entity == entity);
        factory.Market.Set(EntityKind.Creator, id, heat: 85);
        (await restarted.EvaluateAsync(now.AddMinutes(92))).Should().ContainSingle(f => f.Entity == entity, "it re-armed at 70 and crossed again after the cooldown");
        (await owner.Http.GetFromJsonAsync<AlertRuleTests.FiringDto[]>("/api/alerts")).Should().HaveCount(2);
    }

    [Fact]
    public async Task ANodeTakingOverEvaluating_KeepsTheCooldownOfFiringsMadeOnTheOtherNode()
    {
        var id = Interlocked.Increment(ref _nextId);
        var entity = $"creator:{id}";
        factory.Market.Set(EntityKind.Creator, id, heat: 60);
        var owner = await factory.CreateUserClientAsync();
        (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "heat_cross", scope = entity, threshold = 80, cooldownMinutes = 30 })).EnsureSuccessStatusCode();
        var now = DateTime.UtcNow;
        using var standby = NewMonitor();
        (await standby.EvaluateAsync(now)).Should().NotContain(f => f.Entity == entity, "the standby knows the rule, armed");

        factory.Market.Set(EntityKind.Creator, id, heat: 90);
        (await factory.Monitor.EvaluateAsync(now.AddSeconds(1))).Should().ContainSingle(f => f.Entity == entity, "the producer fires");
        standby.ResumeFromStore();

        (await standby.EvaluateAsync(now.AddMinutes(2))).Should().NotContain(f => f.Entity == entity, "the standby took over with the producer's firing in its memory");
        (await owner.Http.GetFromJsonAsync<AlertRuleTests.FiringDto[]>("/api/alerts")).Should().ContainSingle();
    }
}
