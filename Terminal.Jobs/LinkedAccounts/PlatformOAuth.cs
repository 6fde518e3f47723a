using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Terminal.Core.Market;

namespace Terminal.Jobs.LinkedAccounts;

/// <summary>
/// One platform's OAuth dialect: authorize URL, code exchange, refresh, revoke, and the credential check.
/// <para>The credential check sends a token request with <c>grant_type=authorization_code</c> and a code
/// that cannot exist. The platform authenticates the client before it looks at the code, so the answer
/// tells a bad app from a good one without any user involved:</para>
/// <list type="bullet">
/// <item>Google (<c>oauth2.googleapis.com/token</c>): <c>401 {"error":"invalid_client"}</c> ⇒ invalid;
/// <c>400 {"error":"invalid_grant","error_description":"Malformed auth code."}</c> (or
/// <c>invalid_request</c>, <c>redirect_uri_mismatch</c>) ⇒ valid.</item>
/// <item>TikTok (<c>/v2/oauth/token/</c>): <c>{"error":"invalid_client",…}</c> ⇒ invalid; <c>invalid_grant</c>
/// or <c>invalid_request</c> (about the code) ⇒ valid. TikTok may answer these with HTTP 200, so the body decides.</item>
/// <item>Instagram (<c>api.instagram.com/oauth/access_token</c>): <c>400 {"error_type":"OAuthException","code":400,
/// "error_message":"…"}</c>; a message about the authorization code (“Invalid authorization code”, “This
/// authorization code has expired”) ⇒ valid; about the app or secret (“Invalid platform app”, “Error
/// validating client secret”) ⇒ invalid.</item>
/// </list>
/// A 5xx or a network failure is <see cref="CredentialVerdict.Unknown"/>: the credentials stay pending.
/// </summary>
public abstract class PlatformOAuth(IHttpClientFactory httpFactory, IOptionsMonitor<PlatformsOptions> options, TimeProvider clock)
{
    /// <summary>Named HttpClient for token endpoints: resilient, but never retrying a POST (codes and
    /// rotating refresh tokens are single-use).</summary>
    public const string HttpClientName = "platform-oauth";

    public abstract Platform Platform { get; }

    public abstract bool UsesPkce { get; }

    /// <summary>Scopes requested at linking.</summary>
    public abstract string Scopes { get; }

    protected PlatformEndpoints Endpoints => options.CurrentValue.For(Platform);

    protected PlatformsOptions AllOptions => options.CurrentValue;

    protected DateTime Now => clock.GetUtcNow().UtcDateTime;

    protected HttpClient Http => httpFactory.CreateClient(HttpClientName);

    public abstract string BuildAuthorizeUrl(PlatformApp app, string redirectUri, string state, string? codeChallenge);

    public abstract Task<TokenSet> ExchangeCodeAsync(PlatformApp app, string code, string redirectUri, string? codeVerifier, CancellationToken cancellationToken);

    /// <summary>Refreshes with the stored access token (Instagram) or refresh token (Google, TikTok).</summary>
    public abstract Task<TokenSet> RefreshAsync(PlatformApp app, string accessToken, string? refreshToken, CancellationToken cancellationToken);

    /// <summary>Revokes where the platform offers it; false when it does not.</summary>
    public abstract Task<bool> RevokeAsync(PlatformApp app, string? accessToken, string? refreshToken, CancellationToken cancellationToken);

    /// <summary>When the stored access token should be refreshed.</summary>
    public virtual bool NeedsRefresh(DateTime? expiresAt, DateTime? issuedAt) =>
        expiresAt is { } expiry && expiry - Now < TimeSpan.FromMinutes(5);

    public async Task<(CredentialVerdict Verdict, string Reason)> ValidateAsync(PlatformApp app, string redirectUri, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(ValidationForm(app, redirectUri));
        HttpResponseMessage response;
        try
        {
            response = await Http.PostAsync(Endpoints.TokenUrl, content, cancellationToken);
        }
        catch (Exception e) when (PlatformFailures.IsTransient(e))
        {
            return (CredentialVerdict.Unknown, $"{Platform.ToWire()} {PlatformFailures.Describe(e)}; validation will be retried.");
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (PlatformFailures.IsTransient(response.StatusCode))
            {
                return (CredentialVerdict.Unknown, $"{Platform.ToWire()} answered {(int)response.StatusCode}; validation will be retried.");
            }

            var error = OAuthErrorException.TryParse(response.StatusCode, body);
            if (error is null)
            {
                // A bogus code was accepted: never expected, but the client was evidently authenticated.
                return response.IsSuccessStatusCode
                    ? (CredentialVerdict.Valid, "The platform accepted the client.")
                    : (CredentialVerdict.Invalid, $"Unexpected answer {(int)response.StatusCode} from {Platform.ToWire()}.");
            }

            return Judge(error);
        }
    }

    protected virtual IEnumerable<KeyValuePair<string, string>> ValidationForm(PlatformApp app, string redirectUri) =>
    [
        new("client_id", app.ClientId),
        new("client_secret", app.ClientSecret),
        new("grant_type", "authorization_code"),
        new("code", "clip-terminal-credential-check"),
        new("redirect_uri", redirectUri),
    ];

    /// <summary>The RFC 6749 rule shared by Google and TikTok; Instagram overrides it.</summary>
    protected virtual (CredentialVerdict, string) Judge(OAuthErrorException error)
    {
        var described = string.IsNullOrWhiteSpace(error.Description) ? error.Error : $"{error.Error}: {error.Description}";
        if (error.Error == "invalid_client" || error.Status == HttpStatusCode.Unauthorized)
        {
            return (CredentialVerdict.Invalid, described);
        }

        if (error.Error is "invalid_grant" or "invalid_request" or "redirect_uri_mismatch")
        {
            return (CredentialVerdict.Valid, $"Client accepted ({error.Error} for the test code).");
        }

        return (CredentialVerdict.Invalid, described);
    }

    /// <summary>POSTs a form to a token endpoint and reads the JSON answer, turning error bodies into <see cref="OAuthErrorException"/>.</summary>
    protected async Task<JsonElement> PostFormAsync(string url, IEnumerable<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await Http.PostAsync(url, content, cancellationToken);
        return await ReadTokenResponseAsync(response, cancellationToken);
    }

    protected async Task<JsonElement> GetJsonAsync(string url, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(url, cancellationToken);
        return await ReadTokenResponseAsync(response, cancellationToken);
    }

    private static async Task<JsonElement> ReadTokenResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var error = OAuthErrorException.TryParse(response.StatusCode, body);
        if (error is not null)
        {
            throw error;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new OAuthErrorException(response.StatusCode, "http_" + (int)response.StatusCode, "The token endpoint failed.");
        }

        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    protected DateTime? ExpiresIn(JsonElement json, string name)
    {
        if (!json.TryGetProperty(name, out var value))
        {
            return null;
        }

        var seconds = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetInt64(),
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) => s,
            _ => (long?)null,
        };
        return seconds is null ? null : Now.AddSeconds(seconds.Value);
    }

    protected static string? Str(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    protected static string Query(string baseUrl, IEnumerable<KeyValuePair<string, string?>> parameters)
    {
        var query = string.Join("&", parameters.Where(p => p.Value is not null).Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value!)}"));
        return baseUrl + (baseUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
    }
}

/// <summary>Google OAuth 2.0 for YouTube: offline access (refresh token), forced consent, PKCE S256.
/// Google's refresh answer normally carries no refresh token: the stored one is kept.</summary>
public sealed class GoogleOAuth(IHttpClientFactory httpFactory, IOptionsMonitor<PlatformsOptions> options, TimeProvider clock)
    : PlatformOAuth(httpFactory, options, clock)
{
    public override Platform Platform => Platform.YouTube;

    public override bool UsesPkce => true;

    public override string Scopes => "https://www.googleapis.com/auth/youtube.readonly";

    public override string BuildAuthorizeUrl(PlatformApp app, string redirectUri, string state, string? codeChallenge) => Query(Endpoints.AuthorizeUrl,
    [
        new("client_id", app.ClientId),
        new("redirect_uri", redirectUri),
        new("response_type", "code"),
        new("scope", Scopes),
        new("access_type", "offline"),
        new("prompt", "consent"),
        new("include_granted_scopes", "true"),
        new("state", state),
        new("code_challenge", codeChallenge),
        new("code_challenge_method", codeChallenge is null ? null : "S256"),
    ]);

    public override async Task<TokenSet> ExchangeCodeAsync(PlatformApp app, string code, string redirectUri, string? codeVerifier, CancellationToken cancellationToken)
    {
        var json = await PostFormAsync(Endpoints.TokenUrl,
        [
            new("code", code),
            new("client_id", app.ClientId),
            new("client_secret", app.ClientSecret),
            new("redirect_uri", redirectUri),
            new("grant_type", "authorization_code"),
            .. codeVerifier is null ? Array.Empty<KeyValuePair<string, string>>() : [new("code_verifier", codeVerifier)],
        ], cancellationToken);
        return new TokenSet(Str(json, "access_token")!, Str(json, "refresh_token"), ExpiresIn(json, "expires_in"), ExpiresIn(json, "refresh_token_expires_in"), Str(json, "scope"), null);
    }

    public override async Task<TokenSet> RefreshAsync(PlatformApp app, string accessToken, string? refreshToken, CancellationToken cancellationToken)
    {
        if (refreshToken is null)
        {
            throw new OAuthErrorException(HttpStatusCode.BadRequest, "invalid_grant", "No refresh token is stored.");
        }

        var json = await PostFormAsync(Endpoints.TokenUrl,
        [
            new("client_id", app.ClientId),
            new("client_secret", app.ClientSecret),
            new("refresh_token", refreshToken),
            new("grant_type", "refresh_token"),
        ], cancellationToken);
        return new TokenSet(Str(json, "access_token")!, Str(json, "refresh_token"), ExpiresIn(json, "expires_in"), ExpiresIn(json, "refresh_token_expires_in"), Str(json, "scope"), null);
    }

    public override async Task<bool> RevokeAsync(PlatformApp app, string? accessToken, string? refreshToken, CancellationToken cancellationToken)
    {
        // Revoking the refresh token also revokes the access tokens issued from it.
        var token = refreshToken ?? accessToken;
        if (token is null)
        {
            return false;
        }

        using var content = new FormUrlEncodedContent([new("token", token)]);
        using var response = await Http.PostAsync(AllOptions.RevokeUrl(Platform), content, cancellationToken);
        return response.IsSuccessStatusCode;
    }
}

/// <summary>Instagram API with Instagram Login: a short-lived token from the code, exchanged at once
/// for a 60-day long-lived token (<c>GET /access_token?grant_type=ig_exchange_token</c>), refreshed with
/// <c>GET /refresh_access_token?grant_type=ig_refresh_token</c> once it is over 24 h old and before it
/// expires. Instagram Login has no PKCE and no revocation endpoint.</summary>
public sealed class InstagramOAuth(IHttpClientFactory httpFactory, IOptionsMonitor<PlatformsOptions> options, TimeProvider clock)
    : PlatformOAuth(httpFactory, options, clock)
{
    public override Platform Platform => Platform.Instagram;

    public override bool UsesPkce => false;

    public override string Scopes => "instagram_business_basic,instagram_business_manage_insights";

    public override string BuildAuthorizeUrl(PlatformApp app, string redirectUri, string state, string? codeChallenge) => Query(Endpoints.AuthorizeUrl,
    [
        new("client_id", app.ClientId),
        new("redirect_uri", redirectUri),
        new("response_type", "code"),
        new("scope", Scopes),
        new("state", state),
    ]);

    public override async Task<TokenSet> ExchangeCodeAsync(PlatformApp app, string code, string redirectUri, string? codeVerifier, CancellationToken cancellationToken)
    {
        var json = await PostFormAsync(Endpoints.TokenUrl,
        [
            new("client_id", app.ClientId),
            new("client_secret", app.ClientSecret),
            new("grant_type", "authorization_code"),
            new("redirect_uri", redirectUri),
            new("code", code),
        ], cancellationToken);
        // Current docs wrap the answer in data[]; older apps get the flat object.
        var shortLived = json.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array && data.GetArrayLength() > 0 ? data[0] : json;
        var shortToken = Str(shortLived, "access_token")!;
        var userId = Str(shortLived, "user_id");
        var permissions = shortLived.TryGetProperty("permissions", out var p)
            ? p.ValueKind == JsonValueKind.Array ? string.Join(',', p.EnumerateArray().Select(x => x.GetString())) : p.GetString()
            : null;

        var longLived = await GetJsonAsync(Query(Endpoints.ApiBaseUrl.TrimEnd('/') + "/access_token",
        [
            new("grant_type", "ig_exchange_token"),
            new("client_secret", app.ClientSecret),
            new("access_token", shortToken),
        ]), cancellationToken);
        return new TokenSet(Str(longLived, "access_token")!, null, ExpiresIn(longLived, "expires_in"), null, permissions ?? Scopes, userId);
    }

    public override async Task<TokenSet> RefreshAsync(PlatformApp app, string accessToken, string? refreshToken, CancellationToken cancellationToken)
    {
        var json = await GetJsonAsync(Query(Endpoints.ApiBaseUrl.TrimEnd('/') + "/refresh_access_token",
        [
            new("grant_type", "ig_refresh_token"),
            new("access_token", accessToken),
        ]), cancellationToken);
        return new TokenSet(Str(json, "access_token")!, null, ExpiresIn(json, "expires_in"), null, null, null);
    }

    public override Task<bool> RevokeAsync(PlatformApp app, string? accessToken, string? refreshToken, CancellationToken cancellationToken) =>
        Task.FromResult(false);

    /// <summary>Long-lived tokens last 60 days and can be refreshed once 24 h old: refresh in the last 10 days.</summary>
    public override bool NeedsRefresh(DateTime? expiresAt, DateTime? issuedAt) =>
        expiresAt is { } expiry && expiry - Now < TimeSpan.FromDays(10) && (issuedAt is null || Now - issuedAt.Value >= TimeSpan.FromHours(24));

    protected override (CredentialVerdict, string) Judge(OAuthErrorException error)
    {
        var message = error.Description ?? error.Error;
        if (error.Error is "invalid_client")
        {
            return (CredentialVerdict.Invalid, message);
        }

        var aboutCode = message.Contains("code", StringComparison.OrdinalIgnoreCase);
        var aboutApp = message.Contains("client", StringComparison.OrdinalIgnoreCase) || message.Contains("app", StringComparison.OrdinalIgnoreCase);
        return aboutCode && !aboutApp
            ? (CredentialVerdict.Valid, $"App accepted ({message} for the test code).")
            : (CredentialVerdict.Invalid, message);
    }
}

/// <summary>TikTok Login Kit v2: <c>client_key</c> instead of client_id, PKCE S256, access tokens for
/// 24 h and refresh tokens that may rotate (the newest one is always stored), revocation at
/// <c>/v2/oauth/revoke/</c>.</summary>
public sealed class TikTokOAuth(IHttpClientFactory httpFactory, IOptionsMonitor<PlatformsOptions> options, TimeProvider clock)
    : PlatformOAuth(httpFactory, options, clock)
{
    public override Platform Platform => Platform.TikTok;

    public override bool UsesPkce => true;

    public override string Scopes => "user.info.basic,user.info.profile,user.info.stats,video.list";

    public override string BuildAuthorizeUrl(PlatformApp app, string redirectUri, string state, string? codeChallenge) => Query(Endpoints.AuthorizeUrl,
    [
        new("client_key", app.ClientId),
        new("scope", Scopes),
        new("response_type", "code"),
        new("redirect_uri", redirectUri),
        new("state", state),
        new("code_challenge", codeChallenge),
        new("code_challenge_method", codeChallenge is null ? null : "S256"),
    ]);

    public override async Task<TokenSet> ExchangeCodeAsync(PlatformApp app, string code, string redirectUri, string? codeVerifier, CancellationToken cancellationToken)
    {
        var json = await PostFormAsync(Endpoints.TokenUrl,
        [
            new("client_key", app.ClientId),
            new("client_secret", app.ClientSecret),
            new("code", code),
            new("grant_type", "authorization_code"),
            new("redirect_uri", redirectUri),
            .. codeVerifier is null ? Array.Empty<KeyValuePair<string, string>>() : [new("code_verifier", codeVerifier)],
        ], cancellationToken);
        return Tokens(json);
    }

    public override async Task<TokenSet> RefreshAsync(PlatformApp app, string accessToken, string? refreshToken, CancellationToken cancellationToken)
    {
        if (refreshToken is null)
        {
            throw new OAuthErrorException(HttpStatusCode.BadRequest, "invalid_grant", "No refresh token is stored.");
        }

        var json = await PostFormAsync(Endpoints.TokenUrl,
        [
            new("client_key", app.ClientId),
            new("client_secret", app.ClientSecret),
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
        ], cancellationToken);
        return Tokens(json);
    }

    public override async Task<bool> RevokeAsync(PlatformApp app, string? accessToken, string? refreshToken, CancellationToken cancellationToken)
    {
        if (accessToken is null)
        {
            return false;
        }

        using var content = new FormUrlEncodedContent(
        [
            new("client_key", app.ClientId),
            new("client_secret", app.ClientSecret),
            new("token", accessToken),
        ]);
        using var response = await Http.PostAsync(AllOptions.RevokeUrl(Platform), content, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    protected override IEnumerable<KeyValuePair<string, string>> ValidationForm(PlatformApp app, string redirectUri) =>
    [
        new("client_key", app.ClientId),
        new("client_secret", app.ClientSecret),
        new("grant_type", "authorization_code"),
        new("code", "clip-terminal-credential-check"),
        new("redirect_uri", redirectUri),
    ];

    private TokenSet Tokens(JsonElement json) => new(
        Str(json, "access_token")!,
        Str(json, "refresh_token"),
        ExpiresIn(json, "expires_in"),
        ExpiresIn(json, "refresh_expires_in"),
        Str(json, "scope"),
        Str(json, "open_id"));
}
