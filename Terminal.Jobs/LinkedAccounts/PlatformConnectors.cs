using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Terminal.Core.Insights;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;

namespace Terminal.Jobs.LinkedAccounts;

/// <summary>Where a connector hands over what it fetched, page by page, so that an error later in the
/// run never loses what is already in. It also meters quota.</summary>
public interface ISyncSink
{
    Task SaveProfileAsync(FetchedProfile profile, CancellationToken cancellationToken);

    Task SavePageAsync(IReadOnlyList<FetchedPost> posts, CancellationToken cancellationToken);

    /// <summary>Charges quota before a call; throws a quota <see cref="PlatformApiException"/> when the
    /// user's daily budget would be exceeded.</summary>
    Task ChargeAsync(int units, CancellationToken cancellationToken);
}

/// <summary>Reads one platform's API with a user's access token.</summary>
public abstract class PlatformConnector(IHttpClientFactory httpFactory, IOptionsMonitor<PlatformsOptions> platforms, IOptionsMonitor<LinkedAccountOptions> options)
{
    /// <summary>Named HttpClient for API calls, with the standard resilience handler (retries on
    /// 429/5xx/timeouts honouring Retry-After, circuit breaker, timeouts).</summary>
    public const string HttpClientName = "platform-api";

    public abstract Platform Platform { get; }

    protected string ApiBase => platforms.CurrentValue.For(Platform).ApiBaseUrl.TrimEnd('/');

    protected int MaxPages => options.CurrentValue.MaxPagesPerSync;

    public abstract Task SyncAsync(string accessToken, ISyncSink sink, CancellationToken cancellationToken);

    protected async Task<JsonElement> SendAsync(HttpMethod method, string url, string accessToken, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await httpFactory.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement json = default;
        var parsed = false;
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
            json = doc.RootElement.Clone();
            parsed = true;
        }
        catch (JsonException)
        {
        }

        var error = Error(response.StatusCode, parsed ? json : null);
        if (error is not null)
        {
            throw error;
        }

        if (!parsed)
        {
            throw new PlatformApiException(Platform, response.StatusCode, "invalid_response", "The platform did not answer JSON.");
        }

        return json;
    }

    /// <summary>The platform's error, or null for a success.</summary>
    protected abstract PlatformApiException? Error(HttpStatusCode status, JsonElement? json);

    protected static long? Num(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetInt64(),
            // YouTube writes counts as strings ("viewCount": "1234").
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }

    protected static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    protected static JsonElement Prop(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    protected static IEnumerable<JsonElement> Items(JsonElement element, string name) =>
        Prop(element, name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    protected static DateTime ParseTime(string? value) =>
        DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : DateTime.UnixEpoch;
}

/// <summary>
/// YouTube Data API v3. Quota (units): channels.list 1, playlistItems.list 1, videos.list 1 — the
/// uploads playlist is read with playlistItems (never search.list, which costs 100) and videos are
/// fetched in batches of 50.
/// </summary>
public sealed class YouTubeConnector(IHttpClientFactory httpFactory, IOptionsMonitor<PlatformsOptions> platforms, IOptionsMonitor<LinkedAccountOptions> options)
    : PlatformConnector(httpFactory, platforms, options)
{
    public override Platform Platform => Platform.YouTube;

    public override async Task SyncAsync(string accessToken, ISyncSink sink, CancellationToken cancellationToken)
    {
        await sink.ChargeAsync(1, cancellationToken);
        var channels = await SendAsync(HttpMethod.Get, $"{ApiBase}/channels?part=snippet,statistics,contentDetails&mine=true", accessToken, null, cancellationToken);
        var channel = Items(channels, "items").FirstOrDefault();
        if (channel.ValueKind != JsonValueKind.Object)
        {
            throw new PlatformApiException(Platform, HttpStatusCode.NotFound, "no_channel", "The Google account has no YouTube channel.");
        }

        var statistics = Prop(channel, "statistics");
        var hidden = Prop(statistics, "hiddenSubscriberCount").ValueKind == JsonValueKind.True;
        await sink.SaveProfileAsync(new FetchedProfile(Str(channel, "id"), Str(Prop(channel, "snippet"), "title"), hidden ? null : Num(statistics, "subscriberCount")), cancellationToken);

        var uploads = Str(Prop(Prop(channel, "contentDetails"), "relatedPlaylists"), "uploads");
        if (uploads is null)
        {
            return;
        }

        string? pageToken = null;
        for (var page = 0; page < MaxPages; page++)
        {
            await sink.ChargeAsync(1, cancellationToken);
            var url = $"{ApiBase}/playlistItems?part=contentDetails&maxResults=50&playlistId={Uri.EscapeDataString(uploads)}"
                + (pageToken is null ? "" : "&pageToken=" + Uri.EscapeDataString(pageToken));
            var items = await SendAsync(HttpMethod.Get, url, accessToken, null, cancellationToken);
            var ids = Items(items, "items").Select(i => Str(Prop(i, "contentDetails"), "videoId")).OfType<string>().ToList();
            if (ids.Count > 0)
            {
                await sink.ChargeAsync(1, cancellationToken);
                var videos = await SendAsync(HttpMethod.Get, $"{ApiBase}/videos?part=snippet,statistics,contentDetails,liveStreamingDetails&maxResults=50&id={string.Join(',', ids.Select(Uri.EscapeDataString))}", accessToken, null, cancellationToken);
                var posts = Items(videos, "items").Select(v =>
                {
                    var snippet = Prop(v, "snippet");
                    var stats = Prop(v, "statistics");
                    var id = Str(v, "id")!;
                    var duration = PostFormats.IsoDurationSeconds(Str(Prop(v, "contentDetails"), "duration"));
                    var format = PostFormats.YouTube(Str(snippet, "liveBroadcastContent"), Prop(v, "liveStreamingDetails").ValueKind == JsonValueKind.Object, duration);
                    // The Data API reports no share count: it stays null (not reported), not 0.
                    return new FetchedPost(id, Str(snippet, "title") ?? "", ParseTime(Str(snippet, "publishedAt")), $"https://www.youtube.com/watch?v={id}",
                        Num(stats, "viewCount"), Num(stats, "likeCount"), Num(stats, "commentCount"), null, null, null,
                        format, duration is > 0 ? duration : null);
                }).ToList();
                await sink.SavePageAsync(posts, cancellationToken);
            }

            pageToken = Str(items, "nextPageToken");
            if (pageToken is null)
            {
                return;
            }
        }
    }

    /// <summary>Google's error: <c>{"error":{"code":403,"message":"…","errors":[{"reason":"quotaExceeded",…}],"status":"…"}}</c>.</summary>
    protected override PlatformApiException? Error(HttpStatusCode status, JsonElement? json)
    {
        if ((int)status < 400)
        {
            return null;
        }

        var error = json is { } j ? Prop(j, "error") : default;
        var reason = Items(error, "errors").Select(e => Str(e, "reason")).FirstOrDefault() ?? Str(error, "status") ?? "http_" + (int)status;
        var message = Str(error, "message") ?? "YouTube request failed.";
        var quota = reason is "quotaExceeded" or "rateLimitExceeded" or "dailyLimitExceeded";
        return new PlatformApiException(Platform, status, reason, message, isAuthError: status == HttpStatusCode.Unauthorized, isQuotaError: quota);
    }
}

/// <summary>
/// Instagram API with Instagram Login (graph.instagram.com): <c>/me</c> profile, <c>/me/media</c> with
/// cursor paging, and per-media <c>/insights</c> with the current metrics. An empty insights set means
/// the platform has no data for that media — its metrics stay null, never 0.
/// </summary>
public sealed class InstagramConnector(IHttpClientFactory httpFactory, IOptionsMonitor<PlatformsOptions> platforms, IOptionsMonitor<LinkedAccountOptions> options)
    : PlatformConnector(httpFactory, platforms, options)
{
    public const string InsightMetrics = "views,reach,saved,likes,comments,shares,total_interactions";

    public override Platform Platform => Platform.Instagram;

    public override async Task SyncAsync(string accessToken, ISyncSink sink, CancellationToken cancellationToken)
    {
        await sink.ChargeAsync(1, cancellationToken);
        var me = await SendAsync(HttpMethod.Get, $"{ApiBase}/me?fields=user_id,username,name,followers_count,media_count", accessToken, null, cancellationToken);
        await sink.SaveProfileAsync(new FetchedProfile(Str(me, "user_id") ?? Str(me, "id"), Str(me, "username"), Num(me, "followers_count")), cancellationToken);

        string? after = null;
        for (var page = 0; page < MaxPages; page++)
        {
            await sink.ChargeAsync(1, cancellationToken);
            var url = $"{ApiBase}/me/media?fields=id,caption,media_type,media_product_type,permalink,timestamp,like_count,comments_count&limit=50"
                + (after is null ? "" : "&after=" + Uri.EscapeDataString(after));
            var media = await SendAsync(HttpMethod.Get, url, accessToken, null, cancellationToken);
            var posts = new List<FetchedPost>();
            foreach (var item in Items(media, "data"))
            {
                var id = Str(item, "id")!;
                await sink.ChargeAsync(1, cancellationToken);
                var insights = await InsightsAsync(id, accessToken, cancellationToken);
                posts.Add(new FetchedPost(id, Caption(Str(item, "caption")), ParseTime(Str(item, "timestamp")), Str(item, "permalink"),
                    insights.GetValueOrDefault("views"),
                    insights.GetValueOrDefault("likes") ?? Num(item, "like_count"),
                    insights.GetValueOrDefault("comments") ?? Num(item, "comments_count"),
                    insights.GetValueOrDefault("shares"),
                    insights.GetValueOrDefault("saved"),
                    insights.GetValueOrDefault("reach"),
                    PostFormats.Instagram(Str(item, "media_product_type"))));
            }

            await sink.SavePageAsync(posts, cancellationToken);
            var paging = Prop(media, "paging");
            after = Str(Prop(paging, "cursors"), "after");
            if (Str(paging, "next") is null || after is null)
            {
                return;
            }
        }
    }

    private async Task<Dictionary<string, long?>> InsightsAsync(string mediaId, string accessToken, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, long?>();
        JsonElement insights;
        try
        {
            insights = await SendAsync(HttpMethod.Get, $"{ApiBase}/{Uri.EscapeDataString(mediaId)}/insights?metric={InsightMetrics}", accessToken, null, cancellationToken);
        }
        catch (PlatformApiException e) when (!e.IsAuthError && !e.IsQuotaError && e.Status == HttpStatusCode.BadRequest)
        {
            // Some media types (stories, old posts) support no insights: no data, not zero.
            return values;
        }

        foreach (var metric in Items(insights, "data"))
        {
            var name = Str(metric, "name");
            var value = Items(metric, "values").Select(v => Num(v, "value")).FirstOrDefault();
            value ??= Num(Prop(metric, "total_value"), "value");
            if (name is not null)
            {
                values[name] = value;
            }
        }

        return values;
    }

    private static string Caption(string? caption) =>
        caption is null ? "" : caption.Length <= 200 ? caption : caption[..200];

    /// <summary>Graph's error: <c>{"error":{"message","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id"}}</c>;
    /// 190 = token expired or invalid, 4/17/32/613 = rate limits.</summary>
    protected override PlatformApiException? Error(HttpStatusCode status, JsonElement? json)
    {
        var error = json is { } j ? Prop(j, "error") : default;
        if ((int)status < 400 && error.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var code = Num(error, "code");
        var message = Str(error, "message") ?? "Instagram request failed.";
        return new PlatformApiException(Platform, status, code is null ? "http_" + (int)status : "graph_" + code, message,
            isAuthError: code == 190 || status == HttpStatusCode.Unauthorized,
            isQuotaError: code is 4 or 17 or 32 or 613);
    }
}

/// <summary>
/// TikTok Display API v2: <c>GET /user/info/?fields=…</c> and <c>POST /video/list/?fields=…</c> with a
/// <c>cursor</c>/<c>has_more</c> page walk (20 videos a page). Every answer carries
/// <c>{"error":{"code":"ok"|…,"message","log_id"}}</c>.
/// </summary>
public sealed class TikTokConnector(IHttpClientFactory httpFactory, IOptionsMonitor<PlatformsOptions> platforms, IOptionsMonitor<LinkedAccountOptions> options)
    : PlatformConnector(httpFactory, platforms, options)
{
    public override Platform Platform => Platform.TikTok;

    public override async Task SyncAsync(string accessToken, ISyncSink sink, CancellationToken cancellationToken)
    {
        await sink.ChargeAsync(1, cancellationToken);
        var info = await SendAsync(HttpMethod.Get, $"{ApiBase}/user/info/?fields=open_id,union_id,avatar_url,display_name,follower_count,following_count,likes_count,video_count", accessToken, null, cancellationToken);
        var user = Prop(Prop(info, "data"), "user");
        await sink.SaveProfileAsync(new FetchedProfile(Str(user, "open_id"), Str(user, "display_name"), Num(user, "follower_count")), cancellationToken);

        long? cursor = null;
        for (var page = 0; page < MaxPages; page++)
        {
            await sink.ChargeAsync(1, cancellationToken);
            object body = cursor is null ? new { max_count = 20 } : new { max_count = 20, cursor };
            var list = await SendAsync(HttpMethod.Post, $"{ApiBase}/video/list/?fields=id,title,video_description,create_time,share_url,duration,view_count,like_count,comment_count,share_count", accessToken, body, cancellationToken);
            var data = Prop(list, "data");
            var posts = Items(data, "videos").Select(v => new FetchedPost(
                Str(v, "id")!,
                Str(v, "title") is { Length: > 0 } title ? title : Str(v, "video_description") ?? "",
                Num(v, "create_time") is { } t ? DateTime.UnixEpoch.AddSeconds(t) : DateTime.UnixEpoch,
                Str(v, "share_url"),
                Num(v, "view_count"), Num(v, "like_count"), Num(v, "comment_count"), Num(v, "share_count"), null, null,
                PostFormat.ShortForm, Num(v, "duration") is { } d and > 0 ? (double?)d : null)).ToList();
            await sink.SavePageAsync(posts, cancellationToken);
            cursor = Num(data, "cursor");
            if (Prop(data, "has_more").ValueKind != JsonValueKind.True || cursor is null)
            {
                return;
            }
        }
    }

    protected override PlatformApiException? Error(HttpStatusCode status, JsonElement? json)
    {
        var error = json is { } j ? Prop(j, "error") : default;
        var code = Str(error, "code");
        if ((int)status < 400 && (code is null or "ok"))
        {
            return null;
        }

        code ??= "http_" + (int)status;
        return new PlatformApiException(Platform, status, code, Str(error, "message") ?? "TikTok request failed.",
            isAuthError: code is "access_token_invalid" || status == HttpStatusCode.Unauthorized,
            isQuotaError: code is "rate_limit_exceeded" && (int)status < 400);
    }
}
