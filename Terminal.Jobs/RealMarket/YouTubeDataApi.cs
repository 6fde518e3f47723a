using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Terminal.Jobs.LinkedAccounts;

namespace Terminal.Jobs.RealMarket;

/// <summary>The quota was spent: Google answers <c>403 quotaExceeded</c> until the next Pacific midnight.</summary>
public sealed class YouTubeQuotaExceededException(string message) : Exception(message);

/// <summary>The key was refused (<c>400 API_KEY_INVALID</c>, <c>403 accessNotConfigured</c> …); <see cref="Exception.Message"/> is the reason.</summary>
public sealed class YouTubeKeyInvalidException(string message) : Exception(message);

/// <summary>A channel as channels.list serves it.</summary>
public sealed record YouTubeChannel(string Id, string Title, string? CustomUrl, long ViewCount, long SubscriberCount, long VideoCount, string? UploadsPlaylistId);

/// <summary>A video as videos.list serves it.</summary>
public sealed record YouTubeVideo(
    string Id, string ChannelId, string Title, string Description, DateTime PublishedAt, string LiveBroadcastContent,
    long ViewCount, long LikeCount, long CommentCount, TimeSpan? Duration,
    DateTime? ActualStartTime, DateTime? ActualEndTime, long? ConcurrentViewers, string? ThumbnailUrl);

/// <summary>
/// YouTube Data API v3 with an API key, public data only (SPEC §9): channels.list, playlistItems.list and
/// videos.list (1 unit each), never search.list. Calls go through the shared resilient platform client
/// (429/5xx/timeouts retried with backoff); every attempt sent is counted by <see cref="YouTubeQuotaMeter"/>.
/// channels.list answers are cached with their ETag and asked again with <c>If-None-Match</c>.
/// </summary>
public sealed class YouTubeDataApi(IHttpClientFactory httpFactory, IOptions<PlatformsOptions> platforms)
{
    public const string HttpClientName = "youtube-market";

    /// <summary>A well-known public channel (Google for Developers): the cheap validation call.</summary>
    public const string ValidationChannelId = "UC_x5XG1OV2P6uZZ5FSM9Ttw";

    public const int MaxIdsPerCall = 50;

    private readonly ConcurrentDictionary<string, (string ETag, string Body)> _etags = new();

    public async Task ValidateKeyAsync(string key, CancellationToken cancellationToken) =>
        await GetAsync(key, "channels", new() { ["part"] = "id", ["id"] = ValidationChannelId }, useETag: false, cancellationToken);

    /// <summary>Resolves a handle (with or without @); null when no channel has it.</summary>
    public async Task<YouTubeChannel?> ResolveHandleAsync(string key, string handle, CancellationToken cancellationToken)
    {
        using var doc = await GetAsync(key, "channels", new() { ["part"] = "snippet,statistics,contentDetails", ["forHandle"] = "@" + handle.TrimStart('@') }, useETag: false, cancellationToken);
        return Items(doc).Select(ParseChannel).FirstOrDefault();
    }

    public async Task<IReadOnlyList<YouTubeChannel>> ChannelsAsync(string key, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ids.Count, MaxIdsPerCall);
        using var doc = await GetAsync(key, "channels", new()
        {
            ["part"] = "snippet,statistics,contentDetails",
            ["id"] = string.Join(',', ids),
            ["maxResults"] = MaxIdsPerCall.ToString(CultureInfo.InvariantCulture),
        }, useETag: true, cancellationToken);
        return Items(doc).Select(ParseChannel).ToList();
    }

    /// <summary>The newest page (50) of an uploads playlist: video ids, newest first.</summary>
    public async Task<IReadOnlyList<string>> RecentUploadsAsync(string key, string playlistId, CancellationToken cancellationToken)
    {
        try
        {
            using var doc = await GetAsync(key, "playlistItems", new()
            {
                ["part"] = "contentDetails",
                ["playlistId"] = playlistId,
                ["maxResults"] = MaxIdsPerCall.ToString(CultureInfo.InvariantCulture),
            }, useETag: false, cancellationToken);
            return Items(doc).Select(i => i.GetProperty("contentDetails").GetProperty("videoId").GetString()!).ToList();
        }
        catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return []; // a channel with no uploads has no uploads playlist
        }
    }

    public async Task<IReadOnlyList<YouTubeVideo>> VideosAsync(string key, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ids.Count, MaxIdsPerCall);
        using var doc = await GetAsync(key, "videos", new()
        {
            ["part"] = "snippet,statistics,contentDetails,liveStreamingDetails",
            ["id"] = string.Join(',', ids),
            ["maxResults"] = MaxIdsPerCall.ToString(CultureInfo.InvariantCulture),
        }, useETag: false, cancellationToken);
        return Items(doc).Select(ParseVideo).ToList();
    }

    private async Task<JsonDocument> GetAsync(string key, string resource, Dictionary<string, string> query, bool useETag, CancellationToken cancellationToken)
    {
        var baseUrl = platforms.Value.YouTube.ApiBaseUrl.TrimEnd('/');
        var url = $"{baseUrl}/{resource}?" + string.Join('&', query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        // The key travels in a header, not the URL, so that it never lands in a log line with the URL.
        request.Headers.Add("X-Goog-Api-Key", key);
        if (useETag && _etags.TryGetValue(url, out var cached))
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", cached.ETag);
        }

        var client = httpFactory.CreateClient(HttpClientName);
        using var response = await client.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotModified && useETag && _etags.TryGetValue(url, out var hit))
        {
            return JsonDocument.Parse(hit.Body);
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response.StatusCode, body);
        }

        var doc = JsonDocument.Parse(body);
        if (useETag && response.Headers.ETag?.Tag is { } tag)
        {
            _etags[url] = (tag, body);
        }
        else if (useETag && doc.RootElement.TryGetProperty("etag", out var bodyTag) && bodyTag.GetString() is { } t)
        {
            _etags[url] = ("\"" + t.Trim('"') + "\"", body);
        }

        return doc;
    }

    /// <summary>Maps Google's error body (<c>{"error":{"code","message","errors":[{"reason"}],"details":[{"reason"}]}}</c>).</summary>
    private static Exception Failure(HttpStatusCode status, string body)
    {
        var reasons = new List<string>();
        var message = $"HTTP {(int)status}";
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("error", out var error))
            {
                if (error.TryGetProperty("message", out var m) && m.GetString() is { } text)
                {
                    message = text;
                }

                foreach (var listName in new[] { "errors", "details" })
                {
                    if (error.TryGetProperty(listName, out var list) && list.ValueKind == JsonValueKind.Array)
                    {
                        reasons.AddRange(list.EnumerateArray()
                            .Where(e => e.TryGetProperty("reason", out _))
                            .Select(e => e.GetProperty("reason").GetString() ?? ""));
                    }
                }
            }
        }
        catch (JsonException)
        {
            // not Google's JSON: keep the status
        }

        if (reasons.Any(r => r is "quotaExceeded" or "dailyLimitExceeded"))
        {
            return new YouTubeQuotaExceededException(message);
        }

        if (reasons.Any(r => r is "keyInvalid" or "API_KEY_INVALID" or "accessNotConfigured" or "keyExpired" or "API_KEY_SERVICE_BLOCKED" or "ipRefererBlocked")
            || (status == HttpStatusCode.BadRequest && message.Contains("API key", StringComparison.OrdinalIgnoreCase)))
        {
            return new YouTubeKeyInvalidException(message.Length > 200 ? message[..200] : message);
        }

        return new HttpRequestException($"YouTube answered {(int)status}: {message}", null, status);
    }

    private static IEnumerable<JsonElement> Items(JsonDocument doc) =>
        doc.RootElement.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array ? items.EnumerateArray() : [];

    private static YouTubeChannel ParseChannel(JsonElement item)
    {
        var snippet = item.TryGetProperty("snippet", out var s) ? s : default;
        var stats = item.TryGetProperty("statistics", out var st) ? st : default;
        string? uploads = null;
        if (item.TryGetProperty("contentDetails", out var cd) && cd.TryGetProperty("relatedPlaylists", out var rp) && rp.TryGetProperty("uploads", out var up))
        {
            uploads = up.GetString();
        }

        return new YouTubeChannel(
            item.GetProperty("id").GetString()!,
            Str(snippet, "title") ?? "",
            Str(snippet, "customUrl"),
            Long(stats, "viewCount"),
            Long(stats, "subscriberCount"),
            Long(stats, "videoCount"),
            uploads);
    }

    private static YouTubeVideo ParseVideo(JsonElement item)
    {
        var snippet = item.GetProperty("snippet");
        var stats = item.TryGetProperty("statistics", out var st) ? st : default;
        var live = item.TryGetProperty("liveStreamingDetails", out var l) ? l : default;
        TimeSpan? duration = null;
        if (item.TryGetProperty("contentDetails", out var cd) && Str(cd, "duration") is { } iso)
        {
            try
            {
                duration = System.Xml.XmlConvert.ToTimeSpan(iso);
            }
            catch (FormatException)
            {
                duration = null;
            }
        }

        string? thumb = null;
        if (snippet.TryGetProperty("thumbnails", out var thumbs))
        {
            foreach (var size in new[] { "high", "medium", "default" })
            {
                if (thumbs.TryGetProperty(size, out var t) && Str(t, "url") is { } u)
                {
                    thumb = u;
                    break;
                }
            }
        }

        return new YouTubeVideo(
            item.GetProperty("id").GetString()!,
            Str(snippet, "channelId") ?? "",
            Str(snippet, "title") ?? "",
            Str(snippet, "description") ?? "",
            Time(snippet, "publishedAt") ?? DateTime.UnixEpoch,
            Str(snippet, "liveBroadcastContent") ?? "none",
            Long(stats, "viewCount"),
            Long(stats, "likeCount"),
            Long(stats, "commentCount"),
            duration,
            Time(live, "actualStartTime"),
            Time(live, "actualEndTime"),
            live.ValueKind == JsonValueKind.Object && live.TryGetProperty("concurrentViewers", out _) ? Long(live, "concurrentViewers") : null,
            thumb);
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Google serves counts as JSON strings (<c>"viewCount": "123"</c>); hidden counts are absent (0).</summary>
    private static long Long(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v))
        {
            return 0;
        }

        return v.ValueKind switch
        {
            JsonValueKind.Number => v.GetInt64(),
            JsonValueKind.String when long.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => 0,
        };
    }

    private static DateTime? Time(JsonElement e, string name) =>
        Str(e, name) is { } text && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? DateTime.SpecifyKind(t, DateTimeKind.Utc)
            : null;
}

/// <summary>
/// Counts every request actually sent to YouTube (it sits inside the retry handler, so a retried call
/// counts each attempt — Google charges each one). Reads cost 1 unit.
/// </summary>
public sealed class YouTubeQuotaMeter
{
    private int _units;
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public void Count(int units)
    {
        Interlocked.Add(ref _units, units);
        Interlocked.Increment(ref _calls);
    }

    /// <summary>The units counted since the last call (to be charged to the ledger).</summary>
    public int TakeUnits() => Interlocked.Exchange(ref _units, 0);

    /// <summary>The handler placed inside the resilience pipeline.</summary>
    public sealed class Handler(YouTubeQuotaMeter meter) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            meter.Count(1);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
