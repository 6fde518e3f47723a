using System.Net;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Jobs.LinkedAccounts;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static Terminal.Tests.Jobs.LinkedAccounts.PlatformFakes;

namespace Terminal.Tests.Jobs.LinkedAccounts;

public sealed class YouTubeConnectorTests : IDisposable
{
    private readonly ConnectorHarness harness = new();

    public void Dispose() => harness.Dispose();

    private static List<Video> Videos(int count) =>
        Enumerable.Range(1, count).Select(i => new Video($"vid{i:000}", $"Video {i}", DateTime.UtcNow.AddDays(-i), 1000 + i, 10 + i, i)).ToList();

    [Fact]
    public async Task Sync_WalksUploadsPlaylistPages_AndBatchesVideosBy50_NeverSearch()
    {
        var videos = Videos(120);
        YouTubeChannel(harness.Server, "UCabc123", 4321, videos);
        var sink = new RecordingSink();

        await harness.Connector(Platform.YouTube).SyncAsync("ya29.token", sink, CancellationToken.None);

        sink.Profile.Should().Be(new FetchedProfile("UCabc123", "My Channel", 4321));
        sink.Posts.Should().HaveCount(120);
        sink.Posts.Single(p => p.ExternalId == "vid007").Should().BeEquivalentTo(new { Views = 1007L, Likes = 17L, Comments = 7L, Shares = (long?)null, Title = "Video 7" });
        var paths = harness.Server.LogEntries.Select(e => e.RequestMessage.Path).ToList();
        paths.Should().NotContain(p => p.Contains("/search", StringComparison.Ordinal));
        paths.Count(p => p.EndsWith("/playlistItems", StringComparison.Ordinal)).Should().Be(3);
        paths.Count(p => p.EndsWith("/videos", StringComparison.Ordinal)).Should().Be(3, "120 videos are 3 batches of at most 50");
        sink.QuotaUsed.Should().Be(1 + 3 + 3, "channels, playlistItems and videos.list cost 1 unit each");
        harness.Server.LogEntries.Should().OnlyContain(e => e.RequestMessage.Headers!["Authorization"].Single() == "Bearer ya29.token");
    }

    [Fact]
    public async Task Sync_Retries429_HonouringRetryAfter_ThenSucceeds()
    {
        YouTubeChannel(harness.Server, "UCabc123", 10, Videos(3));
        harness.Server.Given(Request.Create().WithPath("/youtube/v3/channels").UsingGet()).AtPriority(1)
            .InScenario("throttle").WillSetStateTo("open")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1")
                .WithHeader("Content-Type", "application/json").WithBodyAsJson(GoogleError(429, "rateLimitExceeded", "Too many requests", "RESOURCE_EXHAUSTED")));
        var sink = new RecordingSink();
        var started = DateTime.UtcNow;

        await harness.Connector(Platform.YouTube).SyncAsync("t", sink, CancellationToken.None);

        sink.Posts.Should().HaveCount(3);
        harness.Server.LogEntries.Count(e => e.RequestMessage.Path.EndsWith("/channels", StringComparison.Ordinal)).Should().Be(2);
        (DateTime.UtcNow - started).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900), "Retry-After: 1 is honoured");
    }

    [Fact]
    public async Task Sync_OnPersistent5xxMidway_KeepsPagesAlreadyFetched_AndThrows()
    {
        YouTubeChannel(harness.Server, "UCabc123", 10, Videos(60));
        harness.Server.Given(Request.Create().WithPath("/youtube/v3/playlistItems").WithParam("pageToken", "PAGE1").UsingGet()).AtPriority(0)
            .RespondWith(Json(GoogleError(503, "backendError", "Backend Error", "UNAVAILABLE"), 503));
        var sink = new RecordingSink();

        var act = () => harness.Connector(Platform.YouTube).SyncAsync("t", sink, CancellationToken.None);

        (await act.Should().ThrowAsync<PlatformApiException>()).Which.Status.Should().Be(HttpStatusCode.ServiceUnavailable);
        sink.Posts.Should().HaveCount(50, "the first page was handed over before the error");
        harness.Server.LogEntries.Count(e => e.RequestMessage.RawQuery?.Contains("PAGE1", StringComparison.Ordinal) == true).Should().Be(4, "1 try + 3 retries");
    }

    [Fact]
    public async Task Sync_ExpiredToken_IsAnAuthError()
    {
        harness.Server.Given(Request.Create().WithPath("/youtube/v3/channels").UsingGet())
            .RespondWith(Json(GoogleError(401, "authError", "Request had invalid authentication credentials.", "UNAUTHENTICATED"), 401));

        var act = () => harness.Connector(Platform.YouTube).SyncAsync("expired", new RecordingSink(), CancellationToken.None);

        (await act.Should().ThrowAsync<PlatformApiException>()).Which.IsAuthError.Should().BeTrue();
    }

    [Fact]
    public async Task Sync_QuotaExceeded_IsAQuotaError_AndOwnBudgetStopsBeforeCalling()
    {
        harness.Server.Given(Request.Create().WithPath("/youtube/v3/channels").UsingGet())
            .RespondWith(Json(GoogleError(403, "quotaExceeded", "The request cannot be completed because you have exceeded your quota.", "PERMISSION_DENIED"), 403));
        var act = () => harness.Connector(Platform.YouTube).SyncAsync("t", new RecordingSink(), CancellationToken.None);
        (await act.Should().ThrowAsync<PlatformApiException>()).Which.IsQuotaError.Should().BeTrue();

        harness.Server.ResetLogEntries();
        var exhausted = () => harness.Connector(Platform.YouTube).SyncAsync("t", new RecordingSink(budget: 0), CancellationToken.None);
        (await exhausted.Should().ThrowAsync<PlatformApiException>()).Which.Code.Should().Be("daily_quota_exhausted");
        harness.Server.LogEntries.Should().BeEmpty();
    }
}

public sealed class InstagramConnectorTests : IDisposable
{
    private readonly ConnectorHarness harness = new();

    public void Dispose() => harness.Dispose();

    [Fact]
    public async Task Sync_ReadsProfile_PagesMedia_AndTakesInsightsAsReported_EmptyInsightsAreNull()
    {
        var now = DateTime.UtcNow;
        var full = new Dictionary<string, long> { ["views"] = 5000, ["reach"] = 4000, ["saved"] = 12, ["likes"] = 300, ["comments"] = 40, ["shares"] = 25, ["total_interactions"] = 377 };
        var media = Enumerable.Range(1, 30).Select(i => new Media($"1790{i:000}", $"Reel {i}", now.AddDays(-i), 100 + i, i, i == 2 ? [] : full)).ToList();
        InstagramAccount(harness.Server, "17841400000000001", 2500, media);
        var sink = new RecordingSink();

        await harness.Connector(Platform.Instagram).SyncAsync("IGAAtoken", sink, CancellationToken.None);

        sink.Profile.Should().Be(new FetchedProfile("17841400000000001", "creator.one", 2500));
        sink.Pages.Should().HaveCount(2);
        sink.Posts.Should().HaveCount(30);
        sink.Posts.Single(p => p.ExternalId == "1790001").Should().BeEquivalentTo(new { Views = 5000L, Likes = 300L, Comments = 40L, Shares = 25L, Saves = 12L, Reach = 4000L });
        var noData = sink.Posts.Single(p => p.ExternalId == "1790002");
        noData.Views.Should().BeNull("an empty insights set is no data, not zero");
        noData.Shares.Should().BeNull();
        noData.Likes.Should().Be(102, "like_count from the media object is still what Instagram reported");
        harness.Server.LogEntries.Where(e => e.RequestMessage.Path.EndsWith("/insights", StringComparison.Ordinal))
            .Should().OnlyContain(e => string.Join(',', e.RequestMessage.Query!["metric"]) == "views,reach,saved,likes,comments,shares,total_interactions");
    }

    [Fact]
    public async Task Sync_Retries5xx_ThenSucceeds()
    {
        InstagramAccount(harness.Server, "1784", 1, [new Media("m1", "x", DateTime.UtcNow, 1, 1, null)]);
        harness.Server.Given(Request.Create().WithPath("/graph/me").UsingGet()).AtPriority(1)
            .InScenario("flaky").WillSetStateTo("ok")
            .RespondWith(Json(new { error = new { message = "An unexpected error has occurred. Please retry your request later.", type = "OAuthException", code = 2, is_transient = true, fbtrace_id = "x" } }, 500));

        var sink = new RecordingSink();
        await harness.Connector(Platform.Instagram).SyncAsync("t", sink, CancellationToken.None);

        sink.Profile!.Followers.Should().Be(1);
        harness.Server.LogEntries.Count(e => e.RequestMessage.Path == "/graph/me").Should().Be(2);
    }

    [Fact]
    public async Task Sync_ExpiredToken_Code190_IsAnAuthError()
    {
        harness.Server.Given(Request.Create().WithPath("/graph/me").UsingGet())
            .RespondWith(Json(GraphError("Error validating access token: Session has expired on Tuesday, 24-Nov-26 10:00:00 PST.", 190, 463), 400));

        var act = () => harness.Connector(Platform.Instagram).SyncAsync("t", new RecordingSink(), CancellationToken.None);

        (await act.Should().ThrowAsync<PlatformApiException>()).Which.IsAuthError.Should().BeTrue();
    }
}

public sealed class TikTokConnectorTests : IDisposable
{
    private readonly ConnectorHarness harness = new();

    public void Dispose() => harness.Dispose();

    private static List<TikTokVideo> Videos(int count) =>
        Enumerable.Range(1, count).Select(i => new TikTokVideo($"73{i:00000}", $"tok {i}", DateTime.UtcNow.AddHours(-i), 10_000 + i, 500 + i, 20 + i, 5 + i)).ToList();

    [Fact]
    public async Task Sync_ReadsUserInfo_AndWalksVideoListByCursor()
    {
        TikTokAccount(harness.Server, "open-1", 777, Videos(45));
        var sink = new RecordingSink();

        await harness.Connector(Platform.TikTok).SyncAsync("act.token", sink, CancellationToken.None);

        sink.Profile.Should().Be(new FetchedProfile("open-1", "tok creator", 777));
        sink.Pages.Should().HaveCount(3);
        sink.Posts.Should().HaveCount(45);
        sink.Posts.Single(p => p.ExternalId == "7300003").Should().BeEquivalentTo(new { Views = 10_003L, Likes = 503L, Comments = 23L, Shares = 8L, Title = "tok 3" });
        harness.Server.LogEntries.Where(e => e.RequestMessage.Path.EndsWith("/video/list/", StringComparison.Ordinal))
            .Should().OnlyContain(e => e.RequestMessage.Method == "POST" && e.RequestMessage.RawQuery!.Contains("fields=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sync_ErrorOnLaterPage_KeepsEarlierPages()
    {
        TikTokAccount(harness.Server, "open-1", 1, Videos(40));
        harness.Server.Given(Request.Create().WithPath("/tiktok/v2/video/list/").UsingPost().WithBody((string? b) => b != null && b.Contains("\"cursor\":", StringComparison.Ordinal))).AtPriority(0)
            .RespondWith(Json(TikTokError("internal_error", "Something went wrong. Please try again later."), 500));
        var sink = new RecordingSink();

        var act = () => harness.Connector(Platform.TikTok).SyncAsync("t", sink, CancellationToken.None);

        await act.Should().ThrowAsync<PlatformApiException>();
        sink.Posts.Should().HaveCount(20);
    }

    [Fact]
    public async Task Sync_InvalidToken_IsAnAuthError()
    {
        harness.Server.Given(Request.Create().WithPath("/tiktok/v2/user/info/").UsingGet())
            .RespondWith(Json(TikTokError("access_token_invalid", "The access token is invalid or not found in the request."), 401));

        var act = () => harness.Connector(Platform.TikTok).SyncAsync("t", new RecordingSink(), CancellationToken.None);

        (await act.Should().ThrowAsync<PlatformApiException>()).Which.IsAuthError.Should().BeTrue();
    }

    [Fact]
    public async Task Sync_RateLimited429_IsRetried()
    {
        TikTokAccount(harness.Server, "open-1", 5, Videos(2));
        harness.Server.Given(Request.Create().WithPath("/tiktok/v2/user/info/").UsingGet()).AtPriority(1)
            .InScenario("rl").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0").WithHeader("Content-Type", "application/json")
                .WithBodyAsJson(TikTokError("rate_limit_exceeded", "API rate limit was exceeded.")));
        var sink = new RecordingSink();

        await harness.Connector(Platform.TikTok).SyncAsync("t", sink, CancellationToken.None);

        sink.Profile!.Followers.Should().Be(5);
        harness.Server.LogEntries.Count(e => e.RequestMessage.Path == "/tiktok/v2/user/info/").Should().Be(2);
    }
}
