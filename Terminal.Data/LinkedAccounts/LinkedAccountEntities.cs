using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;

namespace Terminal.Data.LinkedAccounts;

/// <summary>A user's own developer app for one platform. The secret is only a reference into the secret store.</summary>
public sealed class PlatformCredential
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public Platform Platform { get; set; }

    /// <summary>The app's public identifier (Google client id, Instagram app id, TikTok client key).</summary>
    public required string ClientId { get; set; }

    /// <summary>Reference of the client secret in <see cref="Terminal.Core.Secrets.ISecretStore"/>.</summary>
    public required string ClientSecretRef { get; set; }

    /// <summary><see cref="LinkStatus.PendingValidation"/>, <see cref="LinkStatus.Valid"/> or <see cref="LinkStatus.Invalid"/>.</summary>
    public LinkStatus Status { get; set; }

    public string? Reason { get; set; }

    public DateTime? LastValidatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>A linked platform account (SPEC: <c>platform_accounts</c>); tokens are secret references.</summary>
public sealed class PlatformAccount
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public Platform Platform { get; set; }

    public LinkStatus Status { get; set; }

    public string? Reason { get; set; }

    /// <summary>The platform's id of the account (channel id, Instagram user id, TikTok open_id).</summary>
    public string? ExternalId { get; set; }

    public string? DisplayName { get; set; }

    /// <summary>Granted scopes, space separated.</summary>
    public string? Scopes { get; set; }

    public string? AccessTokenRef { get; set; }

    public string? RefreshTokenRef { get; set; }

    public DateTime? AccessTokenExpiresAt { get; set; }

    public DateTime? RefreshTokenExpiresAt { get; set; }

    /// <summary>When the access token was issued (Instagram refuses to refresh one younger than 24 h).</summary>
    public DateTime? AccessTokenIssuedAt { get; set; }

    public DateTime LinkedAt { get; set; }

    public DateTime? LastSyncAt { get; set; }

    public DateTime? NextSyncAt { get; set; }
}

/// <summary>A pending OAuth authorisation: the state (hashed), the user it belongs to and the PKCE verifier (protected).</summary>
public sealed class OAuthLinkState
{
    /// <summary>SHA-256 of the state value sent to the platform.</summary>
    public required string StateHash { get; set; }

    public required string UserId { get; set; }

    public Platform Platform { get; set; }

    /// <summary>The PKCE verifier, Data Protection ciphertext.</summary>
    public string? ProtectedVerifier { get; set; }

    public required string RedirectUri { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }
}

/// <summary>Account-level numbers at one sync: followers as reported, and sums of the fetched posts' metrics.</summary>
public sealed class AccountSnapshot
{
    public long Id { get; set; }

    public long PlatformAccountId { get; set; }

    public required string UserId { get; set; }

    public Platform Platform { get; set; }

    public DateTime At { get; set; }

    public long? Followers { get; set; }

    public long? Views { get; set; }

    public long? Likes { get; set; }

    public long? Comments { get; set; }

    public long? Shares { get; set; }
}

/// <summary>A post of a linked account with its latest metrics exactly as fetched (null = not reported).</summary>
public sealed class PlatformPost
{
    public long Id { get; set; }

    public long PlatformAccountId { get; set; }

    public required string UserId { get; set; }

    public Platform Platform { get; set; }

    public required string ExternalId { get; set; }

    public string Title { get; set; } = "";

    public DateTime PublishedAt { get; set; }

    public string? Url { get; set; }

    public long? Views { get; set; }

    public long? Likes { get; set; }

    public long? Comments { get; set; }

    public long? Shares { get; set; }

    public long? Saves { get; set; }

    public long? Reach { get; set; }

    /// <summary>Short, long or live as the platform reported it (null: it did not say); an insights feature.</summary>
    public Terminal.Core.Insights.PostFormat? Format { get; set; }

    /// <summary>Length of the video in seconds when the platform reports it; an insights feature.</summary>
    public double? DurationSeconds { get; set; }

    public DateTime FetchedAt { get; set; }
}

/// <summary>One sync of one linked account, for ADMIN.</summary>
public sealed class IngestionRun
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public Platform Platform { get; set; }

    public long PlatformAccountId { get; set; }

    /// <summary><c>schedule</c> or <c>manual</c>.</summary>
    public string Trigger { get; set; } = "schedule";

    public DateTime StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public int Records { get; set; }

    public int Errors { get; set; }

    /// <summary>Platform quota spent (YouTube Data API units; request count elsewhere).</summary>
    public int QuotaUsed { get; set; }

    public IngestionStatus Status { get; set; }

    public string? Error { get; set; }
}
