using System.Net.Http.Json;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Alerts;

/// <summary>The market kinds and scopes the monitor evaluates on ticks, each through the API and the app's monitor.</summary>
public sealed class AlertKindScopeTests(AlertsFactory factory) : IClassFixture<AlertsFactory>
{
    private static int _nextId = 9300;

    [Fact]
    public async Task AClipEnteringTheTrendingSet_FiresOnce_AndAgainOnlyAfterLeavingIt()
    {
        var id = Interlocked.Increment(ref _nextId);
        var entity = $"clip:{id}";
        factory.Market.Set(EntityKind.Clip, id, heat: 40, trending: false);
        var owner = await factory.CreateUserClientAsync();
        (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "clip_trending", scope = entity, cooldownMinutes = 0 })).EnsureSuccessStatusCode();
        var now = DateTime.UtcNow;

        (await factory.Monitor.EvaluateAsync(now)).Should().NotContain(f => f.Entity == entity, "the clip is not trending yet");
        factory.Market.Set(EntityKind.Clip, id, heat: 70, trending: true);
        var entered = await factory.Monitor.EvaluateAsync(now.AddSeconds(1));
        var stayed = await factory.Monitor.EvaluateAsync(now.AddSeconds(2));

        entered.Should().ContainSingle(f => f.Entity == entity).Which.Kind.Should().Be(Terminal.Core.Alerts.AlertKind.ClipTrending);
        entered.Single(f => f.Entity == entity).Message.Should().Contain("entered the trending set");
        stayed.Should().NotContain(f => f.Entity == entity, "staying in the set is not entering it");

        factory.Market.Set(EntityKind.Clip, id, heat: 30, trending: false);
        (await factory.Monitor.EvaluateAsync(now.AddSeconds(3))).Should().NotContain(f => f.Entity == entity);
        factory.Market.Set(EntityKind.Clip, id, heat: 75, trending: true);
        (await factory.Monitor.EvaluateAsync(now.AddSeconds(4))).Should().ContainSingle(f => f.Entity == entity, "it left the set and entered again");
        (await owner.Http.GetFromJsonAsync<AlertRuleTests.FiringDto[]>("/api/alerts"))!.Should().HaveCount(2).And.OnlyContain(f => f.Kind == "clip_trending" && f.Entity == entity);
    }

    [Fact]
    public async Task UnderClippedScoreAboveTheLevel_Fires()
    {
        var id = Interlocked.Increment(ref _nextId);
        var entity = $"creator:{id}";
        SetUnderClipped(id, 55);
        var owner = await factory.CreateUserClientAsync();
        (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "under_clipped_above", scope = entity, threshold = 70, cooldownMinutes = 0 })).EnsureSuccessStatusCode();
        var now = DateTime.UtcNow;

        (await factory.Monitor.EvaluateAsync(now)).Should().NotContain(f => f.Entity == entity, "55 is below 70");
        SetUnderClipped(id, 82.5);
        var fired = await factory.Monitor.EvaluateAsync(now.AddSeconds(1));

        var firing = fired.Should().ContainSingle(f => f.Entity == entity).Subject;
        firing.Value.Should().Be(82.5);
        firing.Message.Should().Contain("under-clipped score 82.5").And.Contain("above 70");
        (await owner.Http.GetFromJsonAsync<AlertRuleTests.FiringDto[]>("/api/alerts"))!.Should().ContainSingle(f => f.Kind == "under_clipped_above" && f.Value == 82.5);
    }

    [Fact]
    public async Task ANicheScope_FiresForCreatorsAndClipsOfItsTopicOnly()
    {
        var topic = Interlocked.Increment(ref _nextId);
        var inNiche = Interlocked.Increment(ref _nextId);
        var clipInNiche = Interlocked.Increment(ref _nextId);
        var elsewhere = Interlocked.Increment(ref _nextId);
        factory.Market.Set(EntityKind.Creator, inNiche, heat: 50, topicId: topic);
        factory.Market.Set(EntityKind.Clip, clipInNiche, heat: 50, topicId: topic);
        factory.Market.Set(EntityKind.Creator, elsewhere, heat: 50, topicId: topic + 1000);
        var owner = await factory.CreateUserClientAsync();
        (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "heat_cross", scope = $"niche:{topic}", threshold = 80, cooldownMinutes = 0 })).EnsureSuccessStatusCode();
        var now = DateTime.UtcNow;
        (await factory.Monitor.EvaluateAsync(now)).Should().NotContain(f => f.UserId == owner.UserId);

        factory.Market.Set(EntityKind.Creator, inNiche, heat: 91, topicId: topic);
        factory.Market.Set(EntityKind.Clip, clipInNiche, heat: 88, topicId: topic);
        factory.Market.Set(EntityKind.Creator, elsewhere, heat: 95, topicId: topic + 1000);
        var fired = (await factory.Monitor.EvaluateAsync(now.AddSeconds(1))).Where(f => f.UserId == owner.UserId).ToList();

        fired.Select(f => f.Entity).Should().BeEquivalentTo([$"creator:{inNiche}", $"clip:{clipInNiche}"], "the niche holds the creators and clips of its topic, and nothing else");
        (await factory.Monitor.EvaluateAsync(now.AddSeconds(2))).Should().NotContain(f => f.UserId == owner.UserId, "each fired once");
    }

    private void SetUnderClipped(int id, double score) =>
        factory.Market.Rows[(EntityKind.Creator, id)] = new TrendItem(1, id, $"creator{id}", Platform.YouTube, 100, 0, 40, 0, []) { UnderClippedScore = score };
}
