using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Market;
using Terminal.Core.MarketSources;
using Terminal.Core.Trends;
using Terminal.Jobs.RealMarket;
using Xunit;
using static Terminal.Tests.Jobs.RealMarket.InstagramFake;

namespace Terminal.Tests.Jobs.RealMarket;

/// <summary>The public Instagram market (SPEC §9) against a fake of the Graph API's Business Discovery in its wire format.</summary>
public sealed class InstagramMarketTests
{
    private static readonly Account Nasa = new("17841400008460056", "nasa", "NASA", 98_000_000, 4_200);
    private static readonly Account Natgeo = new("17841400011060056", "natgeo", "National Geographic", 280_000_000, 30_000);
    private static readonly Account Espn = new("17841400022060056", "espn", "ESPN", 27_000_000, 50_000);

    private static async Task<(InstagramMarketFactory App, HttpClient Admin)> StartAsync(bool configure = true)
    {
        var app = new InstagramMarketFactory();
        ValidToken(app.Graph);
        var admin = (await app.AdminClientAsync()).Http;
        if (configure)
        {
            var put = await admin.PutAsJsonAsync("/api/market/sources/instagram", new { businessAccountId = AccountId, accessToken = Token });
            put.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        return (app, admin);
    }

    private static async Task<JsonElement> InstagramSourceAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement>("/api/market/sources")).EnumerateArray().Single(s => s.GetProperty("platform").GetString() == "instagram");

    [Fact]
    public async Task PutSource_ValidatesWithOneCall_TokenTravelsInTheHeader_AndIsNeverReturned()
    {
        var (app, admin) = await StartAsync(configure: false);
        await using var _ = app;

        var put = await admin.PutAsJsonAsync("/api/market/sources/instagram", new { businessAccountId = AccountId, accessToken = Token });
        var body = await put.Content.ReadAsStringAsync();
        var sources = await admin.GetStringAsync("/api/market/sources");

        put.StatusCode.Should().Be(HttpStatusCode.OK);
        body.Should().NotContain(Token).And.Contain("\"status\":\"valid\"").And.Contain("\"keyHint\":\"Q9z8\"");
        sources.Should().NotContain(Token);
        var call = app.Graph.LogEntries.Should().ContainSingle().Subject.RequestMessage;
        call.Headers!["Authorization"].Single().Should().Be("Bearer " + Token);
        call.Url.Should().NotContain(Token, "the token never travels in a URL");
        (await admin.PutAsJsonAsync("/api/market/sources/instagram", new { businessAccountId = "../me", accessToken = Token })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PutSource_WithAnExpiredToken_Code190_MarksTheSourceInvalidWithTheReason()
    {
        var (app, admin) = await StartAsync(configure: false);
        await using var _ = app;
        app.Graph.Given(AccountCall()).AtPriority(1).RespondWith(Json(ExpiredToken(), 400));

        var view = await (await admin.PutAsJsonAsync("/api/market/sources/instagram", new { businessAccountId = AccountId, accessToken = Token })).Content.ReadFromJsonAsync<JsonElement>();

        view.GetProperty("status").GetString().Should().Be("invalid");
        view.GetProperty("reason").GetString().Should().Contain("Session has expired");
        Calls(app.Graph).Should().Be(1, "a refused token is not retried");
    }

    [Fact]
    public async Task AddCreator_ResolvesTheHandleThroughBusinessDiscovery_201_Unknown404_Twice409_AndTrendsShowIt()
    {
        var (app, admin) = await StartAsync();
        await using var _ = app;
        Discover(app.Graph, Nasa);
        UnknownUsers(app.Graph);

        var created = await admin.PostAsJsonAsync("/api/market/creators", new { platform = "instagram", handle = "@NASA", topic = "Space" });
        var unknown = await admin.PostAsJsonAsync("/api/market/creators", new { platform = "instagram", handle = "nosuchbusiness" });
        var again = await admin.PostAsJsonAsync("/api/market/creators", new { platform = "instagram", handle = "nasa" });
        var bad = await admin.PostAsJsonAsync("/api/market/creators", new { platform = "instagram", handle = "nasa){id}" });

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var creator = await created.Content.ReadFromJsonAsync<JsonElement>();
        creator.GetProperty("handle").GetString().Should().Be("nasa");
        creator.GetProperty("platform").GetString().Should().Be("instagram");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest, "a handle is spliced into the fields expression: only username characters pass");
        var series = await admin.GetFromJsonAsync<JsonElement>($"/api/analytics/timeseries?entity=creator:{creator.GetProperty("id").GetInt32()}&metric=followers&period=1h");
        series.GetProperty("points").EnumerateArray().Single().GetProperty("v").GetDouble().Should().Be(98_000_000, "the stored point is the followers_count Instagram served");
        var trends = await admin.GetFromJsonAsync<JsonElement>("/api/analytics/trends?type=creators&platform=instagram&source=live&period=1h");
        trends.GetProperty("data").EnumerateArray().Single().GetProperty("id").GetInt32().Should().Be(creator.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Poll_StopsCallingAtTheUsageMark_AndTheNextRunStartsWithTheHandlesLeft()
    {
        var (app, admin) = await StartAsync();
        await using var _ = app;
        var store = app.Services.GetRequiredService<IMarketSourceStore>();
        foreach (var a in new[] { Nasa, Natgeo, Espn })
        {
            await store.AddCreatorAsync(new NewCreator(Platform.Instagram, a.Id, a.Username, a.Name, "Media", null, null), DateTime.UtcNow);
        }

        Discover(app.Graph, Nasa, Usage(callCount: 97, totalTime: 40, cpu: 30));
        Discover(app.Graph, Natgeo, Usage(callCount: 20));
        Discover(app.Graph, Espn, Usage(callCount: 20));
        var poller = app.Services.GetRequiredService<InstagramMarketPoller>();
        var now = DateTime.UtcNow;

        var first = await poller.PollAsync(now, force: true, CancellationToken.None);
        var state = await store.GetStateAsync(Platform.Instagram);
        var gauge = await InstagramSourceAsync(admin);
        var notDue = await poller.PollAsync(now.AddMinutes(30), force: false, CancellationToken.None);
        var second = await poller.PollAsync(now.AddMinutes(61), force: false, CancellationToken.None);

        first.Calls.Should().Be(1, "the first answer reported 97% of the call budget: no further call that run");
        first.Records.Should().Be(1);
        state.NextPollAt.Should().BeOnOrAfter(now.AddHours(1), "at the stop mark the planner waits out Meta's one-hour window");
        gauge.GetProperty("quota").GetProperty("used").GetInt32().Should().Be(97);
        gauge.GetProperty("quota").GetProperty("limit").GetInt32().Should().Be(100);
        notDue.Calls.Should().Be(0);
        second.Calls.Should().Be(3, "the handles left over are read first, then the one read last time");
        app.Graph.LogEntries.Where(e => e.RequestMessage.Query!.ContainsKey("fields") && e.RequestMessage.Query["fields"].Single().StartsWith("business_discovery", StringComparison.Ordinal))
            .Select(e => e.RequestMessage.Query!["fields"].Single()[..37])
            .Should().Equal("business_discovery.username(nasa){id,", "business_discovery.username(natgeo){i", "business_discovery.username(espn){id,", "business_discovery.username(nasa){id,");
    }

    [Fact]
    public void Planner_PastTheSlowDownMark_StretchesTheInterval()
    {
        var settings = new InstagramMarketOptions { PollIntervalSeconds = 900, SlowDownAtPercent = 75, StopAtPercent = 95 };

        InstagramMarketPoller.PlanInterval(settings, 40).Should().Be(TimeSpan.FromMinutes(15));
        InstagramMarketPoller.PlanInterval(settings, 80).Should().Be(TimeSpan.FromMinutes(30));
        InstagramMarketPoller.PlanInterval(settings, 95).Should().Be(TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task Throttled_HonoursEstimatedTimeToRegainAccess_NoCallBeforeIt()
    {
        var (app, admin) = await StartAsync();
        await using var _ = app;
        var store = app.Services.GetRequiredService<IMarketSourceStore>();
        await store.AddCreatorAsync(new NewCreator(Platform.Instagram, Nasa.Id, Nasa.Username, Nasa.Name, null, null, null), DateTime.UtcNow);
        await store.AddCreatorAsync(new NewCreator(Platform.Instagram, Natgeo.Id, Natgeo.Username, Natgeo.Name, null, null, null), DateTime.UtcNow);
        app.Graph.Given(AccountCall()).AtPriority(1).RespondWith(Json(
            Error(80002, "There have been too many calls to this Instagram account. Wait a bit and try again.", type: "OAuthException"), 400,
            Usage(callCount: 100, totalTime: 60, cpu: 50, regainMinutes: 30)));
        var poller = app.Services.GetRequiredService<InstagramMarketPoller>();
        var now = new DateTime(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc);

        var throttled = await poller.PollAsync(now, force: true, CancellationToken.None);
        var state = await store.GetStateAsync(Platform.Instagram);
        var callsAfter = Calls(app.Graph);
        var blocked = await poller.PollAsync(now.AddMinutes(20), force: true, CancellationToken.None);

        throttled.Calls.Should().Be(1, "a throttled answer stops the run");
        state.Status.Should().Be(SourceStatus.QuotaExceeded);
        state.BlockedUntil.Should().Be(now.AddMinutes(30), "estimated_time_to_regain_access is in minutes");
        blocked.Calls.Should().Be(0);
        Calls(app.Graph).Should().Be(callsAfter);
        app.Graph.ResetMappings();
        Discover(app.Graph, Nasa);
        Discover(app.Graph, Natgeo);
        var after = await poller.PollAsync(now.AddMinutes(31), force: true, CancellationToken.None);
        after.Records.Should().Be(2);
        (await store.GetStateAsync(Platform.Instagram)).Status.Should().Be(SourceStatus.Valid);
    }

    [Fact]
    public async Task Poll_WithARevokedToken_Code190_MarksTheSourceInvalid_AndMakesNoFurtherCall()
    {
        var (app, admin) = await StartAsync();
        await using var _ = app;
        var store = app.Services.GetRequiredService<IMarketSourceStore>();
        await store.AddCreatorAsync(new NewCreator(Platform.Instagram, Nasa.Id, Nasa.Username, Nasa.Name, null, null, null), DateTime.UtcNow);
        await store.AddCreatorAsync(new NewCreator(Platform.Instagram, Natgeo.Id, Natgeo.Username, Natgeo.Name, null, null, null), DateTime.UtcNow);
        app.Graph.Given(AccountCall()).AtPriority(1).RespondWith(Json(Error(190, "Error validating access token: The user has not authorized application 1234.", 458), 400));
        var poller = app.Services.GetRequiredService<InstagramMarketPoller>();

        var outcome = await poller.PollAsync(DateTime.UtcNow, force: true, CancellationToken.None);
        var again = await poller.PollAsync(DateTime.UtcNow.AddHours(2), force: true, CancellationToken.None);
        var source = await InstagramSourceAsync(admin);

        outcome.Calls.Should().Be(1);
        again.Calls.Should().Be(0, "an invalid source makes no call until an admin stores a new token");
        source.GetProperty("status").GetString().Should().Be("invalid");
        source.GetProperty("reason").GetString().Should().Contain("has not authorized");
    }

    [Fact]
    public async Task ClipperMedia_NamingTheCreator_BecomeClipsWithTheLikesInstagramServed()
    {
        var (app, admin) = await StartAsync();
        await using var _ = app;
        Discover(app.Graph, Nasa);
        var created = await (await admin.PostAsJsonAsync("/api/market/creators", new { platform = "instagram", handle = "nasa", topic = "Space" })).Content.ReadFromJsonAsync<JsonElement>();
        var now = DateTime.UtcNow;
        var clips = new Account("17841400099990001", "spaceclips", "Space Clips", 12_000, 2,
        [
            new Media("18000000000000001", "Launch day 🚀 via @nasa", 41_000, 900, now.AddHours(-5)),
            new Media("18000000000000002", "sunset timelapse", 300, 4, now.AddHours(-4)),
        ]);
        Discover(app.Graph, clips);
        (await admin.PostAsJsonAsync("/api/market/clippers", new { platform = "instagram", handle = "spaceclips", creatorIds = Array.Empty<int>() }))
            .StatusCode.Should().Be(HttpStatusCode.Created);

        await app.Services.GetRequiredService<InstagramMarketPoller>().PollAsync(now, force: true, CancellationToken.None);
        var trends = app.Services.GetRequiredService<ITrendReader>().Query(new TrendQuery(EntityKind.Clip, null, Period.Day) { Source = MarketSourceFilter.Live });
        var videos = await app.Services.GetRequiredService<IMarketSourceStore>().GetVideosAsync(Platform.Instagram);

        var clip = trends.Data.Should().ContainSingle().Subject;
        clip.Name.Should().Be("Launch day 🚀 via @nasa");
        clip.Platform.Should().Be(Platform.Instagram);
        videos.Single(v => v.VideoId == "18000000000000002").ClipId.Should().BeNull();
        var likes = await admin.GetFromJsonAsync<JsonElement>($"/api/analytics/timeseries?entity=clip:{clip.Id}&metric=likes&period=24h");
        likes.GetProperty("points").EnumerateArray().Single().GetProperty("v").GetDouble().Should().Be(41_000);
        created.GetProperty("id").GetInt32().Should().BeGreaterThan(0);
    }
}
