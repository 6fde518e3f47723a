using System.Globalization;
using System.Text.Json;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Jobs.LinkedAccounts;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Terminal.Tests.Jobs.RealMarket;

/// <summary>YouTube Data API v3 as it answers an API key: channels.list, playlistItems.list and videos.list
/// in Google's JSON (counts as strings, ISO-8601 times, <c>{"error":{…}}</c> bodies).</summary>
public static class YouTubeFake
{
    public const string Key = "AIzaSyTestKey0123456789abcdWXYZ";

    public sealed record Channel(string Id, string Handle, string Title, long Views, long Subscribers, long VideoCount)
    {
        public string Uploads => "UU" + Id[2..];
    }

    public sealed record Video(string Id, string ChannelId, string Title, DateTime PublishedAt, long Views, long Likes = 0, long Comments = 0,
        string Description = "", string Live = "none", DateTime? ActualStart = null, DateTime? ActualEnd = null, long? Concurrent = null);

    public static string Iso(DateTime t) => t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static IResponseBuilder Json(object body, int status = 200) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json; charset=UTF-8").WithBody(JsonSerializer.Serialize(body));

    public static object ChannelItem(Channel c) => new
    {
        kind = "youtube#channel",
        etag = "etag-" + c.Id,
        id = c.Id,
        snippet = new { title = c.Title, description = "", customUrl = "@" + c.Handle, publishedAt = "2015-01-01T00:00:00Z", thumbnails = new { @default = new { url = $"https://yt3.ggpht.com/{c.Id}.jpg", width = 88, height = 88 } } },
        contentDetails = new { relatedPlaylists = new { likes = "", uploads = c.Uploads } },
        statistics = new { viewCount = S(c.Views), subscriberCount = S(c.Subscribers), hiddenSubscriberCount = false, videoCount = S(c.VideoCount) },
    };

    public static object ChannelList(IEnumerable<Channel> channels) => new
    {
        kind = "youtube#channelListResponse",
        etag = "list-etag",
        pageInfo = new { totalResults = channels.Count(), resultsPerPage = 50 },
        items = channels.Select(ChannelItem).ToArray(),
    };

    public static object VideoItem(Video v)
    {
        var live = v.ActualStart is null ? null : (object)new
        {
            actualStartTime = Iso(v.ActualStart.Value),
            actualEndTime = v.ActualEnd is { } e ? Iso(e) : null,
            concurrentViewers = v.Concurrent is { } n ? S(n) : null,
        };
        return new
        {
            kind = "youtube#video",
            etag = "etag-" + v.Id,
            id = v.Id,
            snippet = new
            {
                publishedAt = Iso(v.PublishedAt),
                channelId = v.ChannelId,
                title = v.Title,
                description = v.Description,
                thumbnails = new { high = new { url = $"https://i.ytimg.com/vi/{v.Id}/hqdefault.jpg", width = 480, height = 360 } },
                channelTitle = "ch",
                liveBroadcastContent = v.Live,
            },
            contentDetails = new { duration = "PT1M5S", dimension = "2d", definition = "hd", caption = "false" },
            statistics = new { viewCount = S(v.Views), likeCount = S(v.Likes), favoriteCount = "0", commentCount = S(v.Comments) },
            liveStreamingDetails = live,
        };
    }

    public static object Error(int code, string reason, string message, string domain = "youtube.quota") => new
    {
        error = new
        {
            code,
            message,
            errors = new[] { new { message, domain, reason } },
        },
    };

    /// <summary>400 as Google answers a bad key: reason <c>badRequest</c>, details reason <c>API_KEY_INVALID</c>.</summary>
    public static object InvalidKey() => new
    {
        error = new
        {
            code = 400,
            message = "API key not valid. Please pass a valid API key.",
            errors = new[] { new { message = "API key not valid. Please pass a valid API key.", domain = "global", reason = "badRequest" } },
            status = "INVALID_ARGUMENT",
            details = new object[] { new { type = "type.googleapis.com/google.rpc.ErrorInfo", reason = "API_KEY_INVALID", domain = "googleapis.com" } },
        },
    };

    /// <summary>The validation call (channels.list?part=id&amp;id=&lt;known channel&gt;).</summary>
    public static void ValidKey(WireMockServer server) =>
        server.Given(Request.Create().WithPath("/youtube/v3/channels").WithParam("part", "id").UsingGet()).AtPriority(10)
            .RespondWith(Json(new { kind = "youtube#channelListResponse", etag = "v", pageInfo = new { totalResults = 1, resultsPerPage = 5 }, items = new[] { new { kind = "youtube#channel", etag = "x", id = "UC_x5XG1OV2P6uZZ5FSM9Ttw" } } }));

    public static void Handle(WireMockServer server, Channel channel) =>
        server.Given(Request.Create().WithPath("/youtube/v3/channels").WithParam("forHandle", "@" + channel.Handle).UsingGet()).AtPriority(10)
            .RespondWith(Json(ChannelList([channel])));

    public static void UnknownHandles(WireMockServer server) =>
        server.Given(Request.Create().WithPath("/youtube/v3/channels").WithParam("forHandle").UsingGet()).AtPriority(50)
            .RespondWith(Json(new { kind = "youtube#channelListResponse", etag = "e", pageInfo = new { totalResults = 0, resultsPerPage = 5 } }));

    /// <summary>channels.list by id: answers every channel it knows (the client keeps those it asked for).</summary>
    public static void Statistics(WireMockServer server, IEnumerable<Channel> channels, int priority = 40) =>
        server.Given(Request.Create().WithPath("/youtube/v3/channels").WithParam("id").UsingGet()).AtPriority(priority)
            .RespondWith(Json(ChannelList(channels)));

    public static void Uploads(WireMockServer server, Channel channel, IEnumerable<Video> videos) =>
        server.Given(Request.Create().WithPath("/youtube/v3/playlistItems").WithParam("playlistId", channel.Uploads).UsingGet()).AtPriority(20)
            .RespondWith(Json(new
            {
                kind = "youtube#playlistItemListResponse",
                etag = "p",
                pageInfo = new { totalResults = videos.Count(), resultsPerPage = 50 },
                items = videos.Select(v => new { kind = "youtube#playlistItem", etag = "pi", id = "PI" + v.Id, contentDetails = new { videoId = v.Id, videoPublishedAt = Iso(v.PublishedAt) } }).ToArray(),
            }));

    public static void Videos(WireMockServer server, IEnumerable<Video> videos, int priority = 30) =>
        server.Given(Request.Create().WithPath("/youtube/v3/videos").UsingGet()).AtPriority(priority)
            .RespondWith(Json(new { kind = "youtube#videoListResponse", etag = "vl", pageInfo = new { totalResults = videos.Count(), resultsPerPage = 50 }, items = videos.Select(VideoItem).ToArray() }));

    public static int Calls(WireMockServer server) => server.LogEntries.Count();

    public static int Calls(WireMockServer server, string resource) =>
        server.LogEntries.Count(e => e.RequestMessage.Path.EndsWith("/" + resource, StringComparison.Ordinal));

    private static string S(long n) => n.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The app with YouTube pointed at a WireMock fake and the demo off.</summary>
public sealed class YouTubeMarketFactory : TerminalWebFactory
{
    public YouTubeMarketFactory()
    {
        YouTube = WireMockServer.Start();
        foreach (var (key, value) in ConnectorHarness.PlatformSettings(YouTube.Url!))
        {
            Settings[key] = value;
        }

        Settings["Terminal:LinkedAccounts:RetryBaseDelayMilliseconds"] = "5";
        Settings["Terminal:LinkedAccounts:MaxRetryAttempts"] = "3";
        Settings["Terminal:Market:YouTube:StatsIntervalSeconds"] = "3600";
    }

    public WireMockServer YouTube { get; }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            YouTube.Stop();
            YouTube.Dispose();
        }
    }
}
