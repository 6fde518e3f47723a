using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Terminal.Core.Accounts;
using Terminal.Web.Features.Billing;

namespace Terminal.Web.Features.Api;

/// <summary>The <c>X-Api-Key</c> scheme of the external API (used only by <c>/ext-api</c>).</summary>
public static class ApiKeyDefaults
{
    public const string Scheme = "ApiKey";
    public const string Header = "X-Api-Key";
    public const string Policy = "ExternalApi";
    public const string KeyIdClaim = "api_key_id";
    public const string PlanClaim = "plan";
}

internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyService keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeyDefaults.Header, out var values) || string.IsNullOrWhiteSpace(values))
        {
            return AuthenticateResult.NoResult();
        }

        var owner = await keys.AuthenticateAsync(values.ToString().Trim(), Context.RequestAborted);
        if (owner is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, owner.UserId),
            new Claim(ApiKeyDefaults.KeyIdClaim, owner.KeyId.ToString()),
            new Claim(ApiKeyDefaults.PlanClaim, owner.Plan.ToWire()),
        ], ApiKeyDefaults.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiKeyDefaults.Scheme));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"{ApiKeyDefaults.Scheme} header=\"{ApiKeyDefaults.Header}\"";
        var message = Request.Headers.ContainsKey(ApiKeyDefaults.Header)
            ? "The API key is not valid or has been revoked."
            : $"Send an API key in the {ApiKeyDefaults.Header} header (create one under ACCT → API keys).";
        await ApiResults.WriteErrorAsync(Response, StatusCodes.Status401Unauthorized, "invalid_api_key", message, Context.RequestAborted);
    }
}
