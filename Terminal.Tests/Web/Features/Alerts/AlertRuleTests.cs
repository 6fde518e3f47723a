using System.Net;
using System.Net.Http.Json;
using Terminal.Core.Market;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Alerts;

public sealed class AlertRuleTests(AlertsFactory factory) : IClassFixture<AlertsFactory>
{
    public sealed record RuleDto(long Id, string Kind, string Scope, double Threshold, int CooldownMinutes, string[] Channels, string Period, DateTime CreatedAt);

    public sealed record FiringDto(long Id, long RuleId, string Kind, string Entity, string Message, double Value, DateTime At, DateTime? AcknowledgedAt);

    public sealed record UnreadDto(int Unread);

    private static int _nextId = 9000;

    [Fact]
    public async Task CreateRule_ReturnsTheSpecShape()
    {
        var user = await factory.CreateUserClientAsync();
        var response = await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "heat_cross", scope = "creator:12", threshold = 80, cooldownMinutes = 15, channels = new[] { "toast", "webhook" } });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var rule = (await response.Content.ReadFromJsonAsync<RuleDto>())!;
        rule.Should().Match<RuleDto>(r => r.Kind == "heat_cross" && r.Scope == "creator:12" && r.Threshold == 80 && r.CooldownMinutes == 15 && r.Period == "24h");
        rule.Channels.Should().Equal("toast", "webhook");
        (await user.Http.GetFromJsonAsync<RuleDto[]>("/api/alerts/rules")).Should().ContainSingle(r => r.Id == rule.Id);
    }

    [Theory]
    [InlineData("{\"kind\":\"moon\",\"scope\":\"creator:1\",\"threshold\":1}", "invalid_kind")]
    [InlineData("{\"kind\":\"heat_cross\",\"scope\":\"planet:1\",\"threshold\":1}", "invalid_scope")]
    [InlineData("{\"kind\":\"heat_cross\",\"scope\":\"creator:1\"}", "invalid_threshold")]
    [InlineData("{\"kind\":\"heat_cross\",\"scope\":\"creator:1\",\"threshold\":140}", "invalid_threshold")]
    [InlineData("{\"kind\":\"heat_cross\",\"scope\":\"creator:1\",\"threshold\":50,\"cooldownMinutes\":-1}", "invalid_cooldown")]
    [InlineData("{\"kind\":\"heat_cross\",\"scope\":\"creator:1\",\"threshold\":50,\"channels\":[\"sms\"]}", "invalid_channels")]
    [InlineData("{\"kind\":\"under_clipped_above\",\"scope\":\"clip:1\",\"threshold\":50}", "invalid_scope")]
    [InlineData("{\"kind\":\"heat_cross\",\"scope\":\"watchlist:999999\",\"threshold\":50}", "invalid_scope")]
    public async Task BadRule_Returns400(string body, string code)
    {
        var user = await factory.CreateUserClientAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = await user.Http.PostAsync("/api/alerts/rules", content);
        await response.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task PastThePlanLimit_Returns409()
    {
        var user = await factory.CreateUserClientAsync();
        for (var i = 0; i < 3; i++)
        {
            (await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "heat_cross", scope = $"creator:{i + 1}", threshold = 50 })).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        var fourth = await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "heat_cross", scope = "creator:4", threshold = 50 });
        await fourth.ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "too_many_rules");
    }

    [Fact]
    public async Task ACrossing_FiresWithinOneEvaluation_Once_ForTheOwnerOnly_AndCanBeAcknowledged()
    {
        var id = Interlocked.Increment(ref _nextId);
        factory.Market.Set(EntityKind.Creator, id, heat: 60);
        var owner = await factory.CreateUserClientAsync();
        var other = await factory.CreateUserClientAsync();
        (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "heat_cross", scope = $"creator:{id}", threshold = 80, cooldownMinutes = 0 })).EnsureSuccessStatusCode();
        var now = DateTime.UtcNow;

        (await factory.Monitor.EvaluateAsync(now)).Should().NotContain(f => f.Entity == $"creator:{id}");
        factory.Market.Set(EntityKind.Creator, id, heat: 80.5);
        var fired = await factory.Monitor.EvaluateAsync(now.AddSeconds(1));
        factory.Market.Set(EntityKind.Creator, id, heat: 79.5);
        await factory.Monitor.EvaluateAsync(now.AddSeconds(2));
        factory.Market.Set(EntityKind.Creator, id, heat: 80.2);
        var hovering = await factory.Monitor.EvaluateAsync(now.AddSeconds(3));

        fired.Should().ContainSingle(f => f.Entity == $"creator:{id}");
        hovering.Should().NotContain(f => f.Entity == $"creator:{id}", "79.5 is inside the hysteresis band");
        var firings = await owner.Http.GetFromJsonAsync<FiringDto[]>("/api/alerts");
        firings.Should().ContainSingle().Which.Should().Match<FiringDto>(f => f.Kind == "heat_cross" && f.Entity == $"creator:{id}" && f.Value == 80.5 && f.AcknowledgedAt == null);
        (await other.Http.GetFromJsonAsync<FiringDto[]>("/api/alerts")).Should().BeEmpty();
        (await owner.Http.GetFromJsonAsync<UnreadDto>("/api/alerts/unread"))!.Unread.Should().Be(1);

        await (await other.Http.PostAsync($"/api/alerts/{firings![0].Id}/ack", null)).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "alert_not_found");
        var ack = await owner.Http.PostAsync($"/api/alerts/{firings[0].Id}/ack", null);
        ack.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ack.Content.ReadFromJsonAsync<UnreadDto>())!.Unread.Should().Be(0);
        (await owner.Http.GetFromJsonAsync<FiringDto[]>("/api/alerts"))!.Single().AcknowledgedAt.Should().NotBeNull();
    }

    [Fact]
    public async Task AWatchlistScope_WatchesItsMembers()
    {
        var a = Interlocked.Increment(ref _nextId);
        var b = Interlocked.Increment(ref _nextId);
        factory.Market.Set(EntityKind.Creator, a, heat: 10, change: 0.05);
        factory.Market.Set(EntityKind.Creator, b, heat: 10, change: 0.05);
        var owner = await factory.CreateUserClientAsync();
        var list = await (await owner.Http.PostAsJsonAsync("/api/watchlists", new { name = "w", items = new object[] { new { type = "creator", id = a } } })).Content.ReadFromJsonAsync<WatchlistApiTests.ListDto>();
        (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "velocity_change_above", scope = $"watchlist:{list!.Id}", threshold = 50 })).EnsureSuccessStatusCode();
        await factory.Monitor.EvaluateAsync(DateTime.UtcNow);

        factory.Market.Set(EntityKind.Creator, a, heat: 10, change: 0.75);
        factory.Market.Set(EntityKind.Creator, b, heat: 10, change: 0.75);
        await factory.Monitor.EvaluateAsync(DateTime.UtcNow);

        var firings = await owner.Http.GetFromJsonAsync<FiringDto[]>("/api/alerts");
        firings!.Select(f => f.Entity).Should().Equal($"creator:{a}");
        firings![0].Value.Should().BeApproximately(75, 1e-9);
    }

    [Fact]
    public async Task ExternalApi_ListsTheKeyOwnersFirings_Since()
    {
        var id = Interlocked.Increment(ref _nextId);
        factory.Market.Set(EntityKind.Creator, id, heat: 95);
        var owner = await factory.CreateUserClientAsync();
        (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "heat_cross", scope = $"creator:{id}", threshold = 90 })).EnsureSuccessStatusCode();
        await factory.Monitor.EvaluateAsync(DateTime.UtcNow);
        var key = (await (await owner.Http.PostAsJsonAsync("/api/keys", new { name = "alerts" })).Content.ReadFromJsonAsync<Billing.ApiKeyApiTests.CreatedKeyDto>())!.Key;
        var ext = factory.CreateApiClient();
        ext.DefaultRequestHeaders.Add("X-Api-Key", key);

        var all = await ext.GetFromJsonAsync<FiringDto[]>("/ext-api/v1/alerts");
        var later = await ext.GetFromJsonAsync<FiringDto[]>($"/ext-api/v1/alerts?since={Uri.EscapeDataString(DateTime.UtcNow.AddMinutes(1).ToString("O"))}");

        all.Should().ContainSingle(f => f.Entity == $"creator:{id}");
        later.Should().BeEmpty();
        await (await ext.GetAsync("/ext-api/v1/alerts?since=yesterday")).ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_since");
        (await factory.CreateApiClient().GetAsync("/ext-api/v1/alerts")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
