using System.ComponentModel.DataAnnotations;
using Terminal.Core.Market;

namespace Terminal.Jobs.LinkedAccounts;

/// <summary>One platform's OAuth and API endpoints (<c>Terminal:Platforms:{Platform}</c>, SPEC §6).</summary>
public sealed class PlatformEndpoints
{
    [Required, Url] public string AuthorizeUrl { get; set; } = "";

    [Required, Url] public string TokenUrl { get; set; } = "";

    [Required, Url] public string ApiBaseUrl { get; set; } = "";

    /// <summary>Token revocation endpoint where the platform has one (Google, TikTok); derived when empty.</summary>
    public string? RevokeUrl { get; set; }
}

/// <summary><c>Terminal:Platforms</c>: endpoints per platform, defaulting to the real ones.</summary>
public sealed class PlatformsOptions
{
    public const string Section = "Terminal:Platforms";

    public PlatformEndpoints YouTube { get; set; } = new()
    {
        AuthorizeUrl = "https://accounts.google.com/o/oauth2/v2/auth",
        TokenUrl = "https://oauth2.googleapis.com/token",
        ApiBaseUrl = "https://www.googleapis.com/youtube/v3",
    };

    public PlatformEndpoints Instagram { get; set; } = new()
    {
        AuthorizeUrl = "https://www.instagram.com/oauth/authorize",
        TokenUrl = "https://api.instagram.com/oauth/access_token",
        ApiBaseUrl = "https://graph.instagram.com",
    };

    public PlatformEndpoints TikTok { get; set; } = new()
    {
        AuthorizeUrl = "https://www.tiktok.com/v2/auth/authorize/",
        TokenUrl = "https://open.tiktokapis.com/v2/oauth/token/",
        ApiBaseUrl = "https://open.tiktokapis.com/v2",
    };

    public PlatformEndpoints For(Platform platform) => platform switch
    {
        Platform.YouTube => YouTube,
        Platform.Instagram => Instagram,
        Platform.TikTok => TikTok,
        _ => throw new ArgumentOutOfRangeException(nameof(platform)),
    };

    /// <summary>Google's revoke endpoint lives beside its token endpoint; TikTok's under the API base.</summary>
    public string? RevokeUrl(Platform platform)
    {
        var endpoints = For(platform);
        if (!string.IsNullOrWhiteSpace(endpoints.RevokeUrl))
        {
            return endpoints.RevokeUrl;
        }

        return platform switch
        {
            Platform.YouTube => new Uri(new Uri(endpoints.TokenUrl), "/revoke").ToString(),
            Platform.TikTok => endpoints.ApiBaseUrl.TrimEnd('/') + "/oauth/revoke/",
            _ => null, // Instagram Login offers no revocation endpoint: the user removes the app in Instagram.
        };
    }

    internal bool IsValid() =>
        Platforms.All.All(p => Uri.IsWellFormedUriString(For(p).AuthorizeUrl, UriKind.Absolute)
            && Uri.IsWellFormedUriString(For(p).TokenUrl, UriKind.Absolute)
            && Uri.IsWellFormedUriString(For(p).ApiBaseUrl, UriKind.Absolute));
}

/// <summary><c>Terminal:LinkedAccounts</c>: sync schedule, quotas and HTTP resilience.</summary>
public sealed class LinkedAccountOptions
{
    public const string Section = "Terminal:LinkedAccounts";

    /// <summary>Hours between scheduled syncs of one linked account.</summary>
    [Range(0.01, 24 * 7)] public double SyncIntervalHours { get; set; } = 6;

    /// <summary>How often the maintenance job looks for due syncs and expiring tokens (seconds).</summary>
    [Range(5, 3600)] public int ScanIntervalSeconds { get; set; } = 300;

    /// <summary>YouTube Data API units one user's own project may spend per day (Google's default quota is 10,000).</summary>
    [Range(1, 10_000_000)] public int YouTubeDailyQuotaUnits { get; set; } = 10_000;

    /// <summary>Upper bound on pages fetched per sync (50 posts a page on YouTube).</summary>
    [Range(1, 1000)] public int MaxPagesPerSync { get; set; } = 20;

    /// <summary>Lifetime of an OAuth <c>state</c> (minutes).</summary>
    [Range(1, 60)] public int StateLifetimeMinutes { get; set; } = 10;

    [Range(0, 10)] public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Base delay of the exponential backoff (milliseconds); a <c>Retry-After</c> header takes precedence.</summary>
    [Range(1, 60_000)] public int RetryBaseDelayMilliseconds { get; set; } = 2000;

    [Range(1, 600)] public int AttemptTimeoutSeconds { get; set; } = 20;

    [Range(1, 3600)] public int TotalTimeoutSeconds { get; set; } = 120;
}
