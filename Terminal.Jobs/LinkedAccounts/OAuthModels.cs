using System.Net;
using System.Text.Json;
using Terminal.Core.Market;

namespace Terminal.Jobs.LinkedAccounts;

/// <summary>A user's own developer app for a platform (client id, or TikTok's client key, and secret).</summary>
public sealed record PlatformApp(string ClientId, string ClientSecret)
{
    public override string ToString() => $"PlatformApp {{ ClientId = {ClientId} }}"; // never print the secret
}

/// <summary>Tokens from a code exchange or a refresh; null refresh token = the platform sent none.</summary>
public sealed record TokenSet(
    string AccessToken,
    string? RefreshToken,
    DateTime? ExpiresAt,
    DateTime? RefreshExpiresAt,
    string? Scopes,
    string? ExternalId)
{
    public override string ToString() => $"TokenSet {{ ExpiresAt = {ExpiresAt:O}, Scopes = {Scopes} }}";
}

public enum CredentialVerdict
{
    Valid,
    Invalid,
    /// <summary>The platform did not give an answer that tells (network error, 5xx): try again later.</summary>
    Unknown,
}

/// <summary>An OAuth error answer: <c>error</c>/<c>error_description</c> (Google, TikTok) or Instagram's
/// <c>error_type</c>/<c>error_message</c> or Graph's <c>{"error":{"message","type","code"}}</c>.</summary>
public sealed class OAuthErrorException(HttpStatusCode status, string error, string? description)
    : Exception($"OAuth error {(int)status} {error}: {description}")
{
    public HttpStatusCode Status { get; } = status;

    public string Error { get; } = error;

    public string? Description { get; } = description;

    /// <summary>The grant (refresh token or long-lived token) is revoked or expired: the user must link again.</summary>
    public bool IsRevokedGrant =>
        Error is "invalid_grant" || (Error is "OAuthException" or "oauth_exception" && Description?.Contains("token", StringComparison.OrdinalIgnoreCase) == true);

    public static OAuthErrorException? TryParse(HttpStatusCode status, string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String)
                {
                    var code = error.GetString() ?? "";
                    if (code.Length == 0 || code == "ok")
                    {
                        return null;
                    }

                    return new OAuthErrorException(status, code, Text(root, "error_description"));
                }

                if (error.ValueKind == JsonValueKind.Object)
                {
                    return new OAuthErrorException(status, Text(error, "type") ?? "oauth_exception", Text(error, "message"));
                }
            }

            if (root.TryGetProperty("error_type", out var type))
            {
                return new OAuthErrorException(status, type.GetString() ?? "oauth_exception", Text(root, "error_message"));
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>The user's grant is gone (revoked, expired): the link is marked <c>reauth_required</c>.</summary>
public sealed class ReauthRequiredException(string reason) : Exception(reason);

/// <summary>A platform API answered with an error.</summary>
public sealed class PlatformApiException(Platform platform, HttpStatusCode status, string code, string message, bool isAuthError = false, bool isQuotaError = false)
    : Exception($"{platform.ToWire()} API {(int)status} {code}: {message}")
{
    public Platform Platform { get; } = platform;

    public HttpStatusCode Status { get; } = status;

    public string Code { get; } = code;

    /// <summary>The access token is expired or invalid (a refresh may help).</summary>
    public bool IsAuthError { get; } = isAuthError;

    /// <summary>The platform's quota is used up (YouTube <c>quotaExceeded</c>, or our own daily budget).</summary>
    public bool IsQuotaError { get; } = isQuotaError;
}
