using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Market;
using Terminal.Core.MarketSources;
using Terminal.Core.Trends;
using Terminal.Jobs.RealMarket;
using Terminal.Tests.Infrastructure;
using WireMock.RequestBuilders;
using Xunit;
using static Terminal.Tests.Jobs.RealMarket.YouTubeFake;

namespace Terminal.Tests.Jobs.RealMarket;

/// <summary>The public YouTube market (SPEC §9) against a fake that speaks the Data API v3 wire format.</summary>
public sealed class YouTubeMarketTests
{
    private static readonly Channel Beast = new("UCX6OQ3DkcsbYNE6H8uQQuVA", "mrbeast", "MrBeast", 50_000_000_000, 300_000_000, 800);

    private static async Task<(YouTubeMarketFactory App, HttpClient Admin)> StartAsync(bool validKey = true)
    {
        var app = new YouTubeMarketFactory();
        if (validKey)
        {
            ValidKey(app.YouTube);
        }

        var admin = (await app.AdminClientAsync()).Http;
        return (app, admin);
    }

    private static async Task ConfigureKeyAsync(HttpClient admin)
    {
        var put = await admin.PutAsJsonAsync("/api/market/sources/youtube", new { apiKey = Key });
        put.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PutKey_ValidatesWithOneCall_ShowsOnlyTheLastFourCharacters()
    {
        var (app, admin) = await StartAsync();
        await using var _ = app;

        var put = await admin.PutAsJsonAsync("/api/market/sources/youtube", new { apiKey = Key });
        var body = await put.Content.ReadAsStringAsync();
        var sources = await admin.GetStringAsync("/api/market/sources");

        put.StatusCode.Should().Be(HttpStatusCode.OK);
        body.Should().NotContain(Key).And.Contain("\"keyHint\":\"WXYZ\"").And.Contain("\"status\":\"valid\"");
        sources.Should().NotContain(Key);
        var youtube = JsonDocument.Parse(sources).RootElement.EnumerateArray().Single(s => s.GetProperty("platform").GetString() == "youtube");
        youtube.GetProperty("quota").GetProperty("used").GetInt32().Should().Be(Calls(app.YouTube)).And.Be(1);
        youtube.GetProperty("quota").GetProperty("limit").GetInt32().Should().Be(10_000);
        app.YouTube.LogEntries.Single().RequestMessage.Headers!["X-Goog-Api-Key"].Single().Should().Be(Key);
    }

    [Fact]
    public async Task PutKey_RefusedByGoogle_MarksTheSourceInvalidWithTheReason()
    {
        var (app, admin) = await StartAsync(validKey: false);
        await using var _ = app;
        app.YouTube.Given(Request.Create().WithPath("/youtube/v3/channels").UsingGet()).RespondWith(Json(InvalidKey(), 400));

        var put = await admin.PutAsJsonAsync("/api/market/sources/youtube", new { apiKey = Key });
        var view = await put.Content.ReadFromJsonAsync<JsonElement>();

        view.GetProperty("status").GetString().Should().Be("invalid");
        view.GetProperty("reason").GetString().Should().Contain("API key not valid");
        Calls(app.YouTube).Should().Be(1, "a refused key is not retried");
    }

    [Fact]
    public async Task AddCreator_ByHandle_Returns201_UnknownIs404_TwiceIs409_AndTrendsLiveShowIt()
    {
        var (app, admin) = await StartAsync();
        await using var _ = app;
        await ConfigureKeyAsync(admin);
        Handle(app.YouTube, Beast);
        UnknownHandles(app.YouTube);

        var created = await admin.PostAsJsonAsync("/api/market/creators", new { platform = "youtube", handle = "@mrbeast", topic = "Challenges" });
        var unknown = await admin.PostAsJsonAsync("/api/market/creators", new { platform = "youtube", handle = "nosuchhandle" });
        var again = await admin.PostAsJsonAsync("/api/market/creators", new { platform = "youtube", handle = "mrbeast" });
        var bad = await admin.PostAsJsonAsync("/api/market/creators", new { platform = "youtube", handle = "../etc" });

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var creator = await created.Content.ReadFromJsonAsync<JsonElement>();
        creator.GetProperty("handle").GetString().Should().Be("mrbeast");
        creator.GetProperty("isDemo").GetBoolean().Should().BeFalse();
        creator.GetProperty("topic").GetString().Should().Be("Challenges");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).Should().Contain("\"code\":\"invalid_handle\"");

        var trends = await admin.GetFromJsonAsync<JsonElement>("/api/analytics/trends?type=creators&source=live&period=1h");
        var row = trends.GetProperty("data").EnumerateArray().Single();
        row.GetProperty("id").GetInt32().Should().Be(creator.GetProperty("id").GetInt32());
        row.GetProperty("isDemo").GetBoolean().Should().BeFalse();
        var series = await admin.GetFromJsonAsync<JsonElement>($"/api/analytics/timeseries?entity=creator:{row.GetProperty("id").GetInt32()}&metric=followers&period=1h");
        series.GetProperty("points").EnumerateArray().Single().GetProperty("v").GetDouble().Should().Be(300_000_000, "the stored point is the value YouTube served");
        (await admin.GetAsync("/api/analytics/trends?source=both")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task NonAdmin_Gets403_OnEveryMarketSourceEndpoint()
    {
        var (app, _) = await StartAsync();
        await using var __ = app;
        var user = (await app.CreateUserClientAsync()).Http;

        var calls = new List<HttpResponseMessage>
        {
            await user.GetAsync("/api/market/sources"),
            await user.PutAsJsonAsync("/api/market/sources/youtube", new { apiKey = Key }),
            await user.GetAsync("/api/market/creators"),
            await user.PostAsJsonAsync("/api/market/creators", new { platform = "youtube", handle = "mrbeast" }),
            await user.DeleteAsync("/api/market/creators/1000000"),
            await user.PostAsJsonAsync("/api/market/clippers", new { platform = "youtube", handle = "clipsguy", creatorIds = new[] { 1 } }),
            await user.GetAsync("/api/market/runs"),
        };

        calls.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Forbidden);
        Calls(app.YouTube).Should().Be(0);
        (await user.GetAsync("/api/market/live")).StatusCode.Should().Be(HttpStatusCode.OK, "LIVE markers are for every user");
    }

    [Fact]
    public async Task Poll_AsksForAtMost50ChannelsACall_AndTheLedgerEqualsTheCallsSent()
    {
        var (app, admin) = await StartAsync();
        await using var _ = app;
        await ConfigureKeyAsync(admin);
        var store = app.Services.GetRequiredService<IMarketSourceStore>();
        var channels = Enumerable.Range(1, 120).Select(i => new Channel($"UCbatch{i:D17}", $"creator{i:D3}", $"Creator {i}", 1000 * i, 10 * i, 0)).ToList();
        foreach (var c in channels)
        {
            await store.AddCreatorAsync(new NewCreator(Platform.YouTube, c.Id, c.Handle, c.Title, "Batch", c.Uploads, null), DateTime.UtcNow);
        }

        Statistics(app.YouTube, channels);
        Videos(app.YouTube, []);
        foreach (var c in channels)
        {
            Uploads(app.YouTube, c, []);
        }

        var outcome = await app.Services.GetRequiredService<YouTubeMarketPoller>().PollAsync(DateTime.UtcNow, force: true, CancellationToken.None);

        var statCalls = app.YouTube.LogEntries.Where(e => e.RequestMessage.Path.EndsWith("/channels", StringComparison.Ordinal) && e.RequestMessage.Query!.ContainsKey("id") && e.RequestMessage.Query["part"].Single() != "id").ToList();
        statCalls.Should().HaveCount(3);
        statCalls.Should().OnlyContain(e => e.RequestMessage.Query!["id"].Single().Split(',', StringSplitOptions.None).Length <= 50);
        statCalls.SelectMany(e => e.RequestMessage.Query!["id"].Single().Split(',')).Should().BeEquivalentTo(channels.Select(c => c.Id));
        outcome.Records.Should().Be(120);
        app.YouTube.LogEntries.Should().NotContain(e => e.RequestMessage.Path.EndsWith("/search", StringComparison.Ordinal), "search.list costs 100 units and is never used");
        var sources = await admin.GetFromJsonAsync<JsonElement>("/api/market/sources");
        sources.EnumerateArray().Single(s => s.GetProperty("platform").GetString() == "youtube").GetProperty("quota").GetProperty("used").GetInt32()
            .Should().Be(Calls(app.YouTube), "every call Google answered is charged one unit, the validation call included");
    }

    [Fact]
    public async Task Uploads_AreReadOnlyWhenTheVideoCountChanges()
    {
        var (app, admin) = await StartAsync();
        await using var _ = app;
        await ConfigureKeyAsync(admin);
        var store = app.Services.GetRequiredService<IMarketSourceStore>();
        await store.AddCreatorAsync(new NewCreator(Platform.YouTube, Beast.Id, Beast.Handle, Beast.Title, null, Beast.Uploads, null), DateTime.UtcNow);
        Statistics(app.YouTube, [Beast]);
        Uploads(app.YouTube, Beast, []);
        Videos(app.YouTube, []);
        var poller = app.Services.GetRequiredService<YouTubeMarketPoller>();
        var now = DateTime.UtcNow;

        await poller.PollAsync(now, force: true, CancellationToken.None);
        await poller.PollAsync(now.AddMinutes(60), force: true, CancellationToken.None);
        var afterSame = Calls(app.YouTube, "playlistItems");
        Statistics(app.YouTube, [Beast with { VideoCount = 801 }], priority: 35);
        await poller.PollAsync(now.AddMinutes(120), force: true, CancellationToken.None);

        afterSame.Should().Be(1, "the first poll reads the uploads once; an unchanged videoCount reads nothing");
        Calls(app.YouTube, "playlistItems").Should().Be(2, "a changed videoCount reads the uploads again");
    }

    [Fact]
    public async Task QuotaExceeded_StopsEveryCallUntilThePacificReset()
    {
        var (app, admin) = await StartAsync();
        await using var _ = app;
        await ConfigureKeyAsync(admin);
        var store = app.Services.GetRequiredService<IMarketSourceStore>();
        await store.AddCreatorAsync(new NewCreator(Platform.YouTube, Beast.Id, Beast.Handle, Beast.Title, null, Beast.Uploads, null), DateTime.UtcNow);
        app.YouTube.Given(Request.Create().WithPath("/youtube/v3/channels").WithParam("id", Beast.Id).UsingGet()).AtPriority(5)
            .RespondWith(Json(Error(403, "quotaExceeded", "The request cannot be completed because you have exceeded your quota."), 403));
        var poller = app.Services.GetRequiredService<YouTubeMarketPoller>();
        var now = new DateTime(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc); // 04:00 in Los Angeles

        await poller.PollAsync(now, force: true, CancellationToken.None);
        var callsAfterRefusal = Calls(app.YouTube);
        var blocked = await poller.PollAsync(now.AddHours(2), force: true, CancellationToken.None);
        var state = await store.GetStateAsync(Platform.YouTube);

        state.Status.Should().Be(SourceStatus.QuotaExceeded);
        state.BlockedUntil.Should().Be(new DateTime(2026, 11, 29, 8, 0, 0, DateTimeKind.Utc), "Google resets at midnight Pacific (UTC−8 in November)");
        blocked.Calls.Should().Be(0);
        Calls(app.YouTube).Should().Be(callsAfterRefusal, "no call until the reset");
        app.YouTube.ResetMappings();
        ValidKey(app.YouTube);
        Statistics(app.YouTube, [Beast]);
        Uploads(app.YouTube, Beast, []);
        Videos(app.YouTube, []);
        var afterReset = await poller.PollAsync(new DateTime(2026, 11, 29, 8, 0, 1, DateTimeKind.Utc), force: true, CancellationToken.None);
        afterReset.Records.Should().Be(1);
        (await store.GetStateAsync(Platform.YouTube)).Status.Should().Be(SourceStatus.Valid);
    }

    [Fact]
    public async Task ServerErrors_AreRetriedWithBackoff_AndTheReadingIsStored()
    {
        var (app, admin) = await StartAsync();
        await using var _ = app;
        await ConfigureKeyAsync(admin);
        var store = app.Services.GetRequiredService<IMarketSourceStore>();
        await store.AddCreatorAsync(new NewCreator(Platform.YouTube, Beast.Id, Beast.Handle, Beast.Title, null, Beast.Uploads, null), DateTime.UtcNow);
        app.YouTube.Given(Request.Create().WithPath("/youtube/v3/channels").WithParam("id", Beast.Id).UsingGet()).InScenario("flaky").WillSetStateTo("one").AtPriority(5)
            .RespondWith(Json(Error(503, "backendError", "Backend Error", "global"), 503));
        app.YouTube.Given(Request.Create().WithPath("/youtube/v3/channels").WithParam("id", Beast.Id).UsingGet()).InScenario("flaky").WhenStateIs("one").WillSetStateTo("two").AtPriority(5)
            .RespondWith(Json(Error(500, "backendError", "Backend Error", "global"), 500));
        Statistics(app.YouTube, [Beast], priority: 6);
        Uploads(app.YouTube, Beast, []);
        Videos(app.YouTube, []);

        var outcome = await app.Services.GetRequiredService<YouTubeMarketPoller>().PollAsync(DateTime.UtcNow, force: true, CancellationToken.None);

        outcome.Errors.Should().Be(0);
        outcome.Records.Should().Be(1);
        Calls(app.YouTube, "channels").Should().Be(4, "the validation call, two failures and the retry that succeeded");
        outcome.Units.Should().Be(Calls(app.YouTube) - 1, "each attempt sent is charged");
    }

    [Fact]
    public async Task TimedOutCalls_AreTransientFailures_ThePollRecordsTheErrorAndDoesNotThrow()
    {
        var app = new YouTubeMarketFactory();
        await using var _ = app;
        ValidKey(app.YouTube);
        app.Settings["Terminal:LinkedAccounts:AttemptTimeoutSeconds"] = "1";
        app.Settings["Terminal:LinkedAccounts:TotalTimeoutSeconds"] = "1";
        app.Settings["Terminal:LinkedAccounts:MaxRetryAttempts"] = "1";
        var admin = (await app.AdminClientAsync()).Http;
        await ConfigureKeyAsync(admin);
        var store = app.Services.GetRequiredService<IMarketSourceStore>();
        await store.AddCreatorAsync(new NewCreator(Platform.YouTube, Beast.Id, Beast.Handle, Beast.Title, null, Beast.Uploads, null), DateTime.UtcNow);
        // The resilience pipeline's timeout answers Polly's TimeoutRejectedException, which the old, narrower rule let escape.
        app.YouTube.Given(Request.Create().WithPath("/youtube/v3/channels").WithParam("id", Beast.Id).UsingGet()).AtPriority(5)
            .RespondWith(Json(ChannelList([Beast])).WithDelay(TimeSpan.FromSeconds(3)));

        var outcome = await app.Services.GetRequiredService<YouTubeMarketPoller>().PollAsync(DateTime.UtcNow, force: true, CancellationToken.None);

        outcome.Errors.Should().Be(1);
        outcome.Result.Should().StartWith("platform unreachable after retries");
        var state = await store.GetStateAsync(Platform.YouTube);
        state.LastError.Should().NotBeNullOrEmpty();
        state.Status.Should().Be(SourceStatus.Valid, "a transient failure leaves the key's standing alone");
    }

    [Fact]
    public async Task LiveStream_ShowsLiveWithViewers_ThenBecomesAVodOfItsCreator()
    {
        var (app, admin) = await StartAsync();
        await using var _ = app;
        await ConfigureKeyAsync(admin);
        var store = app.Services.GetRequiredService<IMarketSourceStore>();
        var (creator, _, _, _) = await store.AddCreatorAsync(new NewCreator(Platform.YouTube, Beast.Id, Beast.Handle, Beast.Title, null, Beast.Uploads, null), DateTime.UtcNow);
        var start = DateTime.UtcNow.AddHours(-2);
        var live = new Video("liveVid001", Beast.Id, "24h stream", start, 5000, Live: "live", ActualStart: start, Concurrent: 12_345);
        Statistics(app.YouTube, [Beast]);
        Uploads(app.YouTube, Beast, [live]);
        Videos(app.YouTube, [live]);
        var poller = app.Services.GetRequiredService<YouTubeMarketPoller>();

        await poller.PollAsync(DateTime.UtcNow, force: true, CancellationToken.None);
        var liveNow = await admin.GetFromJsonAsync<JsonElement>("/api/market/live");
        Videos(app.YouTube, [live with { Live = "none", ActualEnd = start.AddMinutes(95), Concurrent = null }], priority: 25);
        await poller.PollAsync(DateTime.UtcNow.AddMinutes(5), force: true, CancellationToken.None);
        var vods = await admin.GetFromJsonAsync<JsonElement>($"/api/creators/{creator.Id}/vods");
        var liveAfter = await admin.GetFromJsonAsync<JsonElement>("/api/market/live");

        var row = liveNow.EnumerateArray().Single();
        row.GetProperty("creatorId").GetInt32().Should().Be(creator.Id);
        row.GetProperty("concurrentViewers").GetInt64().Should().Be(12_345);
        liveAfter.GetArrayLength().Should().Be(0);
        var vod = vods.EnumerateArray().Single();
        vod.GetProperty("title").GetString().Should().Be("24h stream");
        vod.GetProperty("durationSeconds").GetDouble().Should().Be(95 * 60);
        vod.GetProperty("status").GetString().Should().Be("needs_source");
        vod.GetProperty("platformUrl").GetString().Should().Be("https://www.youtube.com/watch?v=liveVid001");
        vod.GetProperty("thumbnailUrl").GetString().Should().Be("https://i.ytimg.com/vi/liveVid001/hqdefault.jpg");
        vod.GetProperty("isDemo").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task LiveStart_AndTheVodItBecomes_FireTheCreatorsAlertRules_OncePerEvent()
    {
        var (app, admin) = await StartAsync();
        await using var _ = app;
        await ConfigureKeyAsync(admin);
        var store = app.Services.GetRequiredService<IMarketSourceStore>();
        var (creator, _, _, _) = await store.AddCreatorAsync(new NewCreator(Platform.YouTube, Beast.Id, Beast.Handle, Beast.Title, null, Beast.Uploads, null), DateTime.UtcNow);
        var user = await app.CreateUserClientAsync();
        foreach (var kind in new[] { "live_start", "new_vod" })
        {
            (await user.Http.PostAsJsonAsync("/api/alerts/rules", new { kind, scope = $"creator:{creator.Id}", cooldownMinutes = 0 })).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        var start = DateTime.UtcNow.AddHours(-2);
        var live = new Video("liveVid002", Beast.Id, "marathon", start, 5000, Live: "live", ActualStart: start, Concurrent: 999);
        Statistics(app.YouTube, [Beast]);
        Uploads(app.YouTube, Beast, [live]);
        Videos(app.YouTube, [live]);
        var poller = app.Services.GetRequiredService<YouTubeMarketPoller>();

        await poller.PollAsync(DateTime.UtcNow, force: true, CancellationToken.None);
        await poller.PollAsync(DateTime.UtcNow.AddMinutes(2), force: true, CancellationToken.None);
        var whileLive = await user.Http.GetFromJsonAsync<JsonElement>("/api/alerts");
        Videos(app.YouTube, [live with { Live = "none", ActualEnd = start.AddMinutes(95), Concurrent = null }], priority: 25);
        await poller.PollAsync(DateTime.UtcNow.AddMinutes(5), force: true, CancellationToken.None);
        await poller.PollAsync(DateTime.UtcNow.AddMinutes(7), force: true, CancellationToken.None);
        var after = await user.Http.GetFromJsonAsync<JsonElement>("/api/alerts");

        whileLive.EnumerateArray().Select(f => f.GetProperty("kind").GetString()).Should().Equal(["live_start"], "the stream going live fires once, though two polls saw it live");
        whileLive[0].GetProperty("entity").GetString().Should().Be($"creator:{creator.Id}");
        whileLive[0].GetProperty("message").GetString().Should().Contain("marathon");
        after.EnumerateArray().Select(f => f.GetProperty("kind").GetString()).Should().BeEquivalentTo(["live_start", "new_vod"], "the ended stream became one new VOD");
    }

    [Fact]
    public async Task ClipperUpload_NamingTheCreatorsHandle_BecomesAClipOfThatCreator_WithItsReadings()
    {
        var (app, admin) = await StartAsync();
        await using var _ = app;
        await ConfigureKeyAsync(admin);
        var store = app.Services.GetRequiredService<IMarketSourceStore>();
        var (creator, _, _, _) = await store.AddCreatorAsync(new NewCreator(Platform.YouTube, Beast.Id, Beast.Handle, Beast.Title, null, Beast.Uploads, null), DateTime.UtcNow);
        var clipsGuy = new Channel("UCclipsguy000000000000001", "clipsguy", "Clips Guy", 1000, 10, 2);
        Handle(app.YouTube, clipsGuy);
        var added = await admin.PostAsJsonAsync("/api/market/clippers", new { platform = "youtube", handle = "clipsguy", creatorIds = Array.Empty<int>() });
        added.StatusCode.Should().Be(HttpStatusCode.Created);
        var now = DateTime.UtcNow;
        var named = new Video("clipVid0001", clipsGuy.Id, "He gave away an island", now.AddHours(-3), 90_000, 4_000, 300, "Full video by @MrBeast — subscribe!");
        var unnamed = new Video("clipVid0002", clipsGuy.Id, "Funny moment", now.AddHours(-2), 500);
        Statistics(app.YouTube, [Beast, clipsGuy]);
        Uploads(app.YouTube, Beast, []);
        Uploads(app.YouTube, clipsGuy, [named, unnamed]);
        Videos(app.YouTube, [named, unnamed]);

        await app.Services.GetRequiredService<YouTubeMarketPoller>().PollAsync(now, force: true, CancellationToken.None);
        var trends = app.Services.GetRequiredService<ITrendReader>().Query(new TrendQuery(EntityKind.Clip, null, Period.Day) { Source = MarketSourceFilter.Live });
        var videos = await store.GetVideosAsync(Platform.YouTube);

        var clip = trends.Data.Should().ContainSingle().Subject;
        clip.Name.Should().Be("He gave away an island");
        clip.IsDemo.Should().BeFalse();
        videos.Single(v => v.VideoId == "clipVid0001").Attribution.Should().Be("@mrbeast in the text");
        videos.Single(v => v.VideoId == "clipVid0002").ClipId.Should().BeNull();
        videos.Single(v => v.VideoId == "clipVid0002").Attribution.Should().Be("no creator named and no mapping");
        var series = await admin.GetFromJsonAsync<JsonElement>($"/api/analytics/timeseries?entity=clip:{clip.Id}&metric=likes&period=24h");
        series.GetProperty("points").EnumerateArray().Single().GetProperty("v").GetDouble().Should().Be(4_000);
        trends.Data.Single().Id.Should().BeGreaterThan(0);
        (await admin.GetFromJsonAsync<JsonElement>($"/api/creators/{creator.Id}")).GetProperty("handle").GetString().Should().Be("mrbeast");
    }

    [Fact]
    public async Task QuotaLedger_ConcurrentCharges_AllAddUp()
    {
        var (app, _) = await StartAsync();
        await using var __ = app;
        var store = app.Services.GetRequiredService<IMarketSourceStore>();
        var day = PacificQuotaDay.Of(DateTime.UtcNow);

        // The ledger is charged from the poll job and from admin actions at once: one transaction per
        // charge (TerminalDatabase.InTransactionAsync), so no read-modify-write loses units.
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.ChargeQuotaAsync(Platform.YouTube, day, 3))));

        (await store.GetStateAsync(Platform.YouTube)).QuotaUsed.Should().Be(48);
    }
}
