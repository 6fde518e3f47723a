using System.Security.Claims;
using Terminal.Core.Market;
using Terminal.Jobs.RealMarket;
using Terminal.Web.Features.LinkedAccounts;

namespace Terminal.Web.Features.MarketSources;

/// <summary><c>PUT /api/market/contributions/{platform}</c>.</summary>
public sealed record ContributionRequest(bool? Enabled);

/// <summary>
/// The ACCT opt-in of SPEC §9: the caller's own linked TikTok account contributes its public video stats
/// to the market, or stops (its creator and readings leave the market). Off by default; any signed-in user,
/// only for their own account.
/// </summary>
public static class MarketContributionEndpoints
{
    public static IEndpointRouteBuilder MapMarketContributionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/market/contributions").WithTags("Market sources").RequireAuthorization();
        group.MapGet("/{platform}", Get)
            .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .WithSummary("Whether the caller's linked account contributes its public video stats to the market (off by default).");
        group.MapPut("/{platform}", Put)
            .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest).Produces<ApiErrorBody>(StatusCodes.Status409Conflict)
            .WithSummary("Opts the caller's linked TikTok account in (its syncs become market readings) or out (removed from the market). 409 without a connected account.");
        return app;
    }

    private static async Task<Ok<ContributionView>> Get(string platform, ClaimsPrincipal principal, MarketContributionService service, CancellationToken ct) =>
        TypedResults.Ok(await service.GetAsync(LinkedAccountEndpoints.UserId(principal), Parse(platform), ct));

    private static async Task<Ok<ContributionView>> Put(string platform, ContributionRequest? body, ClaimsPrincipal principal, MarketContributionService service, CancellationToken ct)
    {
        var p = Parse(platform);
        if (body?.Enabled is not { } enabled)
        {
            throw TerminalException.BadRequest("invalid_body", "Send {\"enabled\": true} to contribute, {\"enabled\": false} to stop.");
        }

        return TypedResults.Ok(await service.SetAsync(LinkedAccountEndpoints.UserId(principal), p, enabled, ct));
    }

    private static Platform Parse(string platform)
    {
        var p = LinkedAccountEndpoints.ParsePlatform(platform);
        return p == Platform.TikTok
            ? p
            : throw TerminalException.BadRequest("unsupported_platform", "Only TikTok accounts contribute by opt-in; YouTube and Instagram come from the public APIs an admin configures.");
    }
}
