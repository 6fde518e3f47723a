using System.Net;
using System.Net.Http.Json;
using Terminal.Core.Alerts;
using Terminal.Core.Market;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Alerts;

/// <summary>The event kinds (SPEC §11 "a new VOD or a live start of a creator") through the app's monitor:
/// scope matching, stored firings delivered like the others, once per event.</summary>
public sealed class AlertEventKindTests(AlertsFactory factory) : IClassFixture<AlertsFactory>
{
    private static int _nextId = 9500;

    [Fact]
    public async Task LiveStart_OfTheRulesCreator_FiresOnce_AndIsStoredForTheOwner()
    {
        var owner = await factory.CreateUserClientAsync();
        var id = Interlocked.Increment(ref _nextId);
        var created = await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "live_start", scope = $"creator:{id}", cooldownMinutes = 0 });
        created.StatusCode.Should().Be(HttpStatusCode.Created, "an event kind needs no threshold");
        var now = DateTime.UtcNow;

        var fired = await factory.Monitor.PublishAsync(new CreatorEvent(AlertKind.LiveStart, id, "vid-1", "c went live: hello", now));
        var again = await factory.Monitor.PublishAsync(new CreatorEvent(AlertKind.LiveStart, id, "vid-1", "c went live: hello", now.AddMinutes(1)));
        var otherKind = await factory.Monitor.PublishAsync(new CreatorEvent(AlertKind.NewVod, id, "vod-1", "New VOD", now));
        var otherCreator = await factory.Monitor.PublishAsync(new CreatorEvent(AlertKind.LiveStart, id + 1000, "vid-2", "x", now));

        fired.Should().ContainSingle().Which.Entity.Should().Be($"creator:{id}");
        again.Should().BeEmpty("the same stream seen again does not fire again");
        otherKind.Should().NotContain(f => f.UserId == owner.UserId);
        otherCreator.Should().NotContain(f => f.UserId == owner.UserId);
        var firings = await owner.Http.GetFromJsonAsync<AlertRuleTests.FiringDto[]>("/api/alerts");
        firings.Should().ContainSingle(f => f.Kind == "live_start" && f.Entity == $"creator:{id}" && f.Message == "c went live: hello");
        (await (await factory.CreateUserClientAsync()).Http.GetFromJsonAsync<AlertRuleTests.FiringDto[]>("/api/alerts")).Should().BeEmpty();
    }

    [Fact]
    public async Task NewVod_OfACreatorOnTheRulesWatchlist_Fires()
    {
        var owner = await factory.CreateUserClientAsync();
        var id = Interlocked.Increment(ref _nextId);
        var list = await owner.Http.PostAsJsonAsync("/api/watchlists", new { name = "vods", items = new[] { new { type = "creator", id } } });
        list.EnsureSuccessStatusCode();
        var listId = (await list.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();
        (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "new_vod", scope = $"watchlist:{listId}", channels = new[] { "toast" } })).EnsureSuccessStatusCode();

        var fired = await factory.Monitor.PublishAsync(new CreatorEvent(AlertKind.NewVod, id, "vod-9", "New VOD: the stream", DateTime.UtcNow));

        fired.Should().ContainSingle(f => f.UserId == owner.UserId && f.Kind == AlertKind.NewVod && f.Entity == $"creator:{id}");
    }

    [Fact]
    public async Task EventKinds_OnAClipScope_AreRefused()
    {
        var user = await factory.CreateUserClientAsync();
        var response = await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "new_vod", scope = "clip:3" });
        await response.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_scope");
    }
}
