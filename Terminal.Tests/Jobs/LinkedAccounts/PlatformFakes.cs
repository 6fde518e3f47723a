using System.Globalization;
using System.Text.Json;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Terminal.Tests.Jobs.LinkedAccounts;

/// <summary>Answers in the platforms' documented JSON (YouTube Data API v3, Instagram Graph with
/// Instagram Login, TikTok Display API v2), shared by the connector tests and the end-to-end flow.</summary>
public static class PlatformFakes
{
    public static string Iso(DateTime t) => t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static IResponseBuilder Json(object body, int status = 200) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(JsonSerializer.Serialize(body));

    // ---- YouTube ---------------------------------------------------------------------------

    /// <param name="Duration">contentDetails.duration as YouTube writes it (ISO-8601; "P0D" for a live broadcast in progress).</param>
    /// <param name="LiveBroadcastContent">snippet.liveBroadcastContent: none, live or upcoming.</param>
    /// <param name="WasLive">A past broadcast: the item carries liveStreamingDetails.</param>
    public sealed record Video(string Id, string Title, DateTime PublishedAt, long Views, long Likes, long Comments,
        string Duration = "PT4M13S", string LiveBroadcastContent = "none", bool WasLive = false);

    /// <summary>A channel with the given uploads, split into playlistItems pages of <paramref name="pageSize"/>.</summary>
    public static void YouTubeChannel(WireMockServer server, string channelId, long subscribers, IReadOnlyList<Video> videos, int pageSize = 50)
    {
        server.Given(Request.Create().WithPath("/youtube/v3/channels").WithParam("mine", "true").UsingGet()).AtPriority(60)
            .RespondWith(Json(new
            {
                kind = "youtube#channelListResponse",
                etag = "e",
                pageInfo = new { totalResults = 1, resultsPerPage = 5 },
                items = new[]
                {
                    new
                    {
                        kind = "youtube#channel",
                        etag = "e",
                        id = channelId,
                        snippet = new { title = "My Channel", description = "", publishedAt = "2020-01-01T00:00:00Z" },
                        contentDetails = new { relatedPlaylists = new { likes = "", uploads = "UU" + channelId[2..] } },
                        statistics = new { viewCount = "999999", subscriberCount = subscribers.ToString(CultureInfo.InvariantCulture), hiddenSubscriberCount = false, videoCount = videos.Count.ToString(CultureInfo.InvariantCulture) },
                    },
                },
            }));

        var pages = videos.Chunk(pageSize).ToList();
        for (var i = 0; i < pages.Count; i++)
        {
            var request = Request.Create().WithPath("/youtube/v3/playlistItems").WithParam("playlistId", "UU" + channelId[2..]).UsingGet();
            if (i > 0)
            {
                request = request.WithParam("pageToken", $"PAGE{i}");
            }

            server.Given(request).AtPriority(i == 0 ? 60 : 50)
                .RespondWith(Json(new
                {
                    kind = "youtube#playlistItemListResponse",
                    nextPageToken = i + 1 < pages.Count ? $"PAGE{i + 1}" : null,
                    pageInfo = new { totalResults = videos.Count, resultsPerPage = pageSize },
                    items = pages[i].Select(v => new { kind = "youtube#playlistItem", id = "PI" + v.Id, contentDetails = new { videoId = v.Id, videoPublishedAt = Iso(v.PublishedAt) } }),
                }));

            var ids = string.Join(',', pages[i].Select(v => v.Id));
            server.Given(Request.Create().WithPath("/youtube/v3/videos").WithParam(q => q.TryGetValue("id", out var v) && string.Join(',', v) == ids).UsingGet()).AtPriority(60)
                .RespondWith(Json(new
                {
                    kind = "youtube#videoListResponse",
                    items = pages[i].Select(v => new
                    {
                        kind = "youtube#video",
                        id = v.Id,
                        snippet = new { publishedAt = Iso(v.PublishedAt), channelId, title = v.Title, liveBroadcastContent = v.LiveBroadcastContent },
                        contentDetails = new { duration = v.Duration, dimension = "2d", definition = "hd", caption = "false", licensedContent = false, projection = "rectangular" },
                        liveStreamingDetails = v.WasLive ? new { actualStartTime = Iso(v.PublishedAt), actualEndTime = Iso(v.PublishedAt.AddHours(2)) } : null,
                        statistics = new
                        {
                            viewCount = v.Views.ToString(CultureInfo.InvariantCulture),
                            likeCount = v.Likes.ToString(CultureInfo.InvariantCulture),
                            favoriteCount = "0",
                            commentCount = v.Comments.ToString(CultureInfo.InvariantCulture),
                        },
                    }),
                }));
        }
    }

    public static object GoogleError(int code, string reason, string message, string status) => new
    {
        error = new { code, message, errors = new[] { new { message, domain = reason == "quotaExceeded" ? "youtube.quota" : "global", reason } }, status },
    };

    // ---- Instagram -------------------------------------------------------------------------

    /// <param name="ProductType">media_product_type: REELS, FEED, STORY or AD.</param>
    public sealed record Media(string Id, string Caption, DateTime Timestamp, long LikeCount, long CommentsCount, Dictionary<string, long>? Insights, string ProductType = "REELS");

    public static void InstagramAccount(WireMockServer server, string userId, long followers, IReadOnlyList<Media> media, int pageSize = 25)
    {
        server.Given(Request.Create().WithPath("/graph/me").UsingGet()).AtPriority(60)
            .RespondWith(Json(new { user_id = userId, username = "creator.one", name = "Creator One", followers_count = followers, media_count = media.Count, id = userId }));

        var pages = media.Chunk(pageSize).ToList();
        for (var i = 0; i < pages.Count; i++)
        {
            var request = Request.Create().WithPath("/graph/me/media").UsingGet();
            if (i > 0)
            {
                request = request.WithParam("after", $"CURSOR{i}");
            }

            var hasNext = i + 1 < pages.Count;
            server.Given(request).AtPriority(i == 0 ? 60 : 50)
                .RespondWith(Json(new
                {
                    data = pages[i].Select(m => new
                    {
                        id = m.Id,
                        caption = m.Caption,
                        media_type = m.ProductType == "FEED" ? "IMAGE" : "VIDEO",
                        media_product_type = m.ProductType,
                        permalink = $"https://www.instagram.com/reel/{m.Id}/",
                        timestamp = m.Timestamp.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss+0000", CultureInfo.InvariantCulture),
                        like_count = m.LikeCount,
                        comments_count = m.CommentsCount,
                    }),
                    paging = new
                    {
                        cursors = new { before = $"CURSOR{i}B", after = hasNext ? $"CURSOR{i + 1}" : $"CURSOR{i}END" },
                        next = hasNext ? $"https://graph.instagram.com/v23.0/{userId}/media?after=CURSOR{i + 1}" : null,
                    },
                }));
        }

        foreach (var m in media)
        {
            server.Given(Request.Create().WithPath($"/graph/{m.Id}/insights").UsingGet()).AtPriority(60)
                .RespondWith(Json(new
                {
                    data = (m.Insights ?? []).Select(kv => new
                    {
                        name = kv.Key,
                        period = "lifetime",
                        values = new[] { new { value = kv.Value } },
                        title = kv.Key,
                        description = "",
                        id = $"{m.Id}/insights/{kv.Key}/lifetime",
                    }),
                }));
        }
    }

    public static object GraphError(string message, int code, int? subcode = null) => new
    {
        error = new { message, type = "OAuthException", code, error_subcode = subcode, fbtrace_id = "AbCdEf" },
    };

    // ---- TikTok ----------------------------------------------------------------------------

    /// <param name="Duration">duration in seconds, as the Display API reports it.</param>
    public sealed record TikTokVideo(string Id, string Title, DateTime Created, long Views, long Likes, long Comments, long Shares, int Duration = 27);

    public static object TikTokOk(object data) => new { data, error = new { code = "ok", message = "", log_id = "20261125LOG" } };

    public static object TikTokError(string code, string message) => new { data = new { }, error = new { code, message, log_id = "20261125LOG" } };

    /// <summary>One item of <c>/video/list/</c>'s <c>videos</c>; <paramref name="idPrefix"/> keeps ids apart between users of one fake.</summary>
    public static object TikTokVideoJson(TikTokVideo v, string idPrefix = "") => new
    {
        id = idPrefix + v.Id,
        title = v.Title,
        video_description = v.Title + " #fyp",
        create_time = new DateTimeOffset(v.Created).ToUnixTimeSeconds(),
        share_url = $"https://www.tiktok.com/@tok/video/{v.Id}",
        duration = v.Duration,
        view_count = v.Views,
        like_count = v.Likes,
        comment_count = v.Comments,
        share_count = v.Shares,
    };

    /// <summary>TikTok's token answer (<c>act.{suffix}</c> / <c>rft.{suffix}</c>) for the account <c>open-tok-1</c>.</summary>
    public static object TikTokTokens(string suffix, string scope = "user.info.basic,video.list") => new
    {
        access_token = "act." + suffix,
        expires_in = 86400,
        open_id = "open-tok-1",
        refresh_expires_in = 31536000,
        refresh_token = "rft." + suffix,
        scope,
        token_type = "Bearer",
    };

    public static void TikTokAccount(WireMockServer server, string openId, long followers, IReadOnlyList<TikTokVideo> videos, int pageSize = 20)
    {
        server.Given(Request.Create().WithPath("/tiktok/v2/user/info/").UsingGet()).AtPriority(60)
            .RespondWith(Json(TikTokOk(new { user = new { open_id = openId, union_id = "u-" + openId, avatar_url = "https://p16.tiktokcdn.com/a.jpg", display_name = "tok creator", follower_count = followers, following_count = 3, likes_count = 12345, video_count = videos.Count } })));

        var pages = videos.Chunk(pageSize).ToList();
        for (var i = 0; i < pages.Count; i++)
        {
            var cursor = 1_700_000_000_000L + i;
            var request = Request.Create().WithPath("/tiktok/v2/video/list/").UsingPost();
            request = i == 0
                ? request.WithBody((string? b) => b is not null && !b.Contains("cursor", StringComparison.Ordinal))
                : request.WithBody((string? b) => b is not null && b.Contains($"\"cursor\":{cursor - 1}", StringComparison.Ordinal));
            server.Given(request).AtPriority(50)
                .RespondWith(Json(TikTokOk(new
                {
                    videos = pages[i].Select(v => TikTokVideoJson(v)),
                    cursor,
                    has_more = i + 1 < pages.Count,
                })));
        }
    }
}
