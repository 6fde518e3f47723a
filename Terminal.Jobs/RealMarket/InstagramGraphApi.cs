using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Terminal.Jobs.RealMarket;

/// <summary>The token was refused (<c>OAuthException</c> code 190: expired, revoked or malformed); the message is the reason.</summary>
public sealed class InstagramTokenInvalidException(string message) : Exception(message);

/// <summary>A Business Use Case (or app/user) rate limit was hit; no call helps before <see cref="RegainAccessIn"/> has passed.</summary>
public sealed class InstagramThrottledException(string message, TimeSpan regainAccessIn) : Exception(message)
{
    public TimeSpan RegainAccessIn { get; } = regainAccessIn;
}

/// <summary>
/// One reading of the <c>X-Business-Use-Case-Usage</c> header: the highest share (in %) of any of the
/// business's budgets — <c>call_count</c>, <c>total_time</c>, <c>total_cputime</c> — and Meta's
/// <c>estimated_time_to_regain_access</c> (minutes; 0 when not throttled).
/// </summary>
public sealed record InstagramUsage(int CallCount, int TotalTime, int TotalCpuTime, int RegainAccessMinutes)
{
    public int Percent => Math.Max(CallCount, Math.Max(TotalTime, TotalCpuTime));

    /// <summary>Parses the header's JSON (<c>{"&lt;business id&gt;":[{"type":"instagram","call_count":…}]}</c>);
    /// several entries take the highest of each; null when the header is absent or not Meta's JSON.</summary>
    public static InstagramUsage? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(header);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            InstagramUsage? usage = null;
            foreach (var business in doc.RootElement.EnumerateObject())
            {
                var entries = business.Value.ValueKind == JsonValueKind.Array ? business.Value.EnumerateArray().ToList() : [business.Value];
                foreach (var e in entries.Where(e => e.ValueKind == JsonValueKind.Object))
                {
                    var next = new InstagramUsage(Int(e, "call_count"), Int(e, "total_time"), Int(e, "total_cputime"), Int(e, "estimated_time_to_regain_access"));
                    usage = usage is null ? next : new InstagramUsage(
                        Math.Max(usage.CallCount, next.CallCount), Math.Max(usage.TotalTime, next.TotalTime),
                        Math.Max(usage.TotalCpuTime, next.TotalCpuTime), Math.Max(usage.RegainAccessMinutes, next.RegainAccessMinutes));
                }
            }

            return usage;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static int Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? Math.Max(0, n) : 0;
}

/// <summary>An Instagram professional account as Business Discovery serves it.</summary>
public sealed record InstagramAccount(string Id, string Username, string? Name, long FollowersCount, long MediaCount, IReadOnlyList<InstagramMedia> Media);

/// <summary>A media object of a discovered account (Business Discovery serves no view counts).</summary>
public sealed record InstagramMedia(string Id, string Caption, long LikeCount, long CommentsCount, DateTime Timestamp, string? MediaType, string? MediaProductType, string? Permalink);

/// <summary>
/// The Graph API's Business Discovery with an admin's Facebook-Login token (SPEC §9): one call per
/// handle through the admin's Instagram Business/Creator account. The token travels in the
/// <c>Authorization</c> header, never in a URL. Every answer's <c>X-Business-Use-Case-Usage</c> header
/// is reported to <see cref="InstagramUsageGauge"/>, so the poller can slow down before Meta throttles.
/// </summary>
public sealed class InstagramGraphApi(IHttpClientFactory httpFactory, IOptions<InstagramMarketOptions> options, InstagramUsageGauge gauge, TimeProvider time)
{
    public const string HttpClientName = "instagram-market";

    /// <summary>The cheap validation call: the business account's own id and username.</summary>
    public async Task<string> ValidateAsync(string accountId, string token, CancellationToken cancellationToken)
    {
        using var doc = await GetAsync(accountId, token, "id,username", cancellationToken);
        return doc.RootElement.TryGetProperty("username", out var u) ? u.GetString() ?? "" : "";
    }

    /// <summary>Reads a professional account by username; null when Instagram has no such business or creator account.</summary>
    public async Task<InstagramAccount?> DiscoverAsync(string accountId, string token, string username, CancellationToken cancellationToken)
    {
        var limit = options.Value.MediaPerHandle.ToString(CultureInfo.InvariantCulture);
        var fields = $"business_discovery.username({username}){{id,username,name,followers_count,media_count,"
            + $"media.limit({limit}){{id,caption,like_count,comments_count,timestamp,media_type,media_product_type,permalink}}}}";
        try
        {
            using var doc = await GetAsync(accountId, token, fields, cancellationToken);
            return doc.RootElement.TryGetProperty("business_discovery", out var bd) ? ParseAccount(bd, username) : null;
        }
        catch (InstagramUnknownUserException)
        {
            return null;
        }
    }

    private async Task<JsonDocument> GetAsync(string accountId, string token, string fields, CancellationToken cancellationToken)
    {
        var url = $"{options.Value.GraphApiBaseUrl.TrimEnd('/')}/{Uri.EscapeDataString(accountId)}?fields={Uri.EscapeDataString(fields)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await httpFactory.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        var usage = response.Headers.TryGetValues("X-Business-Use-Case-Usage", out var values) ? InstagramUsage.Parse(values.FirstOrDefault()) : null;
        gauge.Report(usage, time.GetUtcNow().UtcDateTime);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure((int)response.StatusCode, body, usage);
        }

        return JsonDocument.Parse(body);
    }

    /// <summary>Maps the Graph API error body (<c>{"error":{"message","type","code","error_subcode","fbtrace_id"}}</c>).</summary>
    private static Exception Failure(int status, string body, InstagramUsage? usage)
    {
        var message = $"HTTP {status}";
        int? code = null;
        int? subcode = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                message = error.TryGetProperty("message", out var m) && m.GetString() is { } text ? text : message;
                code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var ci) ? ci : null;
                subcode = error.TryGetProperty("error_subcode", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var si) ? si : null;
            }
        }
        catch (JsonException)
        {
            // not Meta's JSON: keep the status
        }

        message = message.Length > 200 ? message[..200] : message;
        return code switch
        {
            190 => new InstagramTokenInvalidException(message),
            // 4 app, 17 user, 32 page, 613 custom, 80001–80014 Business Use Case limits.
            4 or 17 or 32 or 613 or (>= 80001 and <= 80014) => new InstagramThrottledException(message,
                TimeSpan.FromMinutes(usage is { RegainAccessMinutes: > 0 } u ? u.RegainAccessMinutes : 60)),
            110 or 100 when subcode == 2207013 || message.Contains("cannot be found", StringComparison.OrdinalIgnoreCase) => new InstagramUnknownUserException(message),
            _ => new HttpRequestException($"Instagram answered {status}: {message}", null, (System.Net.HttpStatusCode)status),
        };
    }

    private static InstagramAccount ParseAccount(JsonElement bd, string username)
    {
        var media = new List<InstagramMedia>();
        if (bd.TryGetProperty("media", out var m) && m.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in data.EnumerateArray())
            {
                if (Str(item, "id") is not { } id)
                {
                    continue;
                }

                media.Add(new InstagramMedia(id, Str(item, "caption") ?? "", Long(item, "like_count"), Long(item, "comments_count"),
                    Time(Str(item, "timestamp")) ?? DateTime.UnixEpoch, Str(item, "media_type"), Str(item, "media_product_type"), Str(item, "permalink")));
            }
        }

        return new InstagramAccount(Str(bd, "id") ?? "", Str(bd, "username") ?? username, Str(bd, "name"), Long(bd, "followers_count"), Long(bd, "media_count"), media);
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long Long(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;

    /// <summary>Meta writes <c>2026-11-27T10:00:00+0000</c> (no colon in the offset).</summary>
    internal static DateTime? Time(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Length > 5 && text[^5] is '+' or '-' && text[^4..].All(char.IsAsciiDigit))
        {
            text = text.Insert(text.Length - 2, ":");
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.UtcDateTime : null;
    }

    private sealed class InstagramUnknownUserException(string message) : Exception(message);
}

/// <summary>The latest Business Use Case usage Meta reported (ADMIN's gauge and the poller's brake).</summary>
public sealed class InstagramUsageGauge
{
    private readonly Lock _lock = new();
    private InstagramUsage? _usage;
    private DateTime? _at;
    private long _version;

    /// <summary>Counts the readings, so a run can tell its own from one left by an earlier run.</summary>
    public long Version => Interlocked.Read(ref _version);

    public (InstagramUsage? Usage, DateTime? At) Latest
    {
        get
        {
            lock (_lock)
            {
                return (_usage, _at);
            }
        }
    }

    public void Report(InstagramUsage? usage, DateTime at)
    {
        if (usage is null)
        {
            return; // no header is not zero usage: keep the last reading
        }

        lock (_lock)
        {
            _usage = usage;
            _at = at;
            Interlocked.Increment(ref _version);
        }
    }
}
