using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Terminal.Core;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Jobs.LinkedAccounts;

namespace Terminal.Web.Features.LinkedAccounts;

public sealed record CredentialsRequest(string? ClientId, string? ClientSecret);

public sealed record CredentialsAccepted(Platform Platform, LinkStatus Status);

public sealed record SyncAccepted(Platform Platform, string Status);

/// <summary>The CRM's query string (<c>/api/crm/performance</c>, <c>/api/crm/export.csv</c>), parsed once by <see cref="Parse"/>.</summary>
public sealed class CrmQueryParameters
{
    /// <summary>7d, 30d (default) or 90d.</summary>
    [FromQuery(Name = "period")] public string? Period { get; init; }

    public TimeSpan Parse() => QueryParameters.ParseCrmPeriod(Period);
}

/// <summary>The <c>/api/admin/ingestion</c> query string, parsed once by <see cref="Parse"/>.</summary>
public sealed class IngestionQueryParameters
{
    public const int Take = 200;

    /// <summary>all (default), tiktok, instagram or youtube.</summary>
    [FromQuery(Name = "platform")] public string? Platform { get; init; }

    public Platform? Parse() => QueryParameters.ParsePlatformOrAll(Platform);
}

/// <summary>The OAuth redirect's query string (<c>/api/auth/callback/{platform}</c>) as the platform sends it; the
/// single-use state is checked by <see cref="LinkedAccountService.CompleteLinkAsync"/>, which also turns a
/// platform <c>error</c> into the SPEC body.</summary>
public sealed class OAuthCallbackParameters
{
    [FromQuery(Name = "code")] public string? Code { get; init; }

    [FromQuery(Name = "state")] public string? State { get; init; }

    [FromQuery(Name = "error")] public string? Error { get; init; }
}

/// <summary>SPEC §4: developer credentials, OAuth linking, sync and the CRM. Every handler works on the
/// caller's own rows (the user id comes from the signed-in principal, or — for the OAuth callback —
/// from the server-side state the caller created).</summary>
public static class LinkedAccountEndpoints
{
    public static IEndpointRouteBuilder MapLinkedAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var credentials = app.MapGroup("/api/credentials").WithTags("Linked accounts");
        credentials.MapPost("/{platform}", SaveCredentials)
            .WithSummary("Store your own developer app (clientId, clientSecret) for a platform; 202 pending_validation, validated right away.");
        credentials.MapGet("/status", GetCredentialStatus)
            .WithSummary("Status of each platform you stored credentials for: pending_validation, valid, invalid, connected, reauth_required.");

        var auth = app.MapGroup("/api/auth").WithTags("Linked accounts");
        auth.MapGet("/link/{platform}", StartLink)
            .WithSummary("302 to the platform's authorize URL with your client id, state and PKCE; 409 without valid credentials.");
        auth.MapGet("/callback/{platform}", Callback).AllowAnonymous()
            .WithSummary("OAuth redirect target: checks the single-use state, exchanges the code, stores the tokens, 302 to /acct.");
        auth.MapDelete("/link/{platform}", Unlink)
            .WithSummary("Revoke (where the platform offers it) and disconnect the linked account.");
        auth.MapGet("/links", GetLinks)
            .WithSummary("Your linked accounts: status, scopes, last and next sync.");

        app.MapPost("/api/sync/{platform}", SyncNow).WithTags("Linked accounts")
            .WithSummary("Sync your linked account now (202); the run shows in ADMIN.");

        var crm = app.MapGroup("/api/crm").WithTags("CRM");
        crm.MapGet("/performance", GetPerformance)
            .WithSummary("KPIs with deltas, growth series and recent posts from your own linked accounts (period 7d, 30d or 90d).");
        crm.MapGet("/export.csv", ExportCsv)
            .WithSummary("The CRM's recent posts as CSV.");

        app.MapGet("/api/admin/ingestion", GetIngestionRuns).WithTags("Admin").RequireAuthorization(Terminal.Core.Accounts.Roles.Admin)
            .WithSummary("Ingestion runs per user and platform: records, errors, quota used (Admin only).");
        return app;
    }

    internal static string UserId(ClaimsPrincipal principal) =>
        principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new TerminalException(ErrorKind.Unauthorized, "unauthorized", "Sign in first.");

    internal static Platform ParsePlatform(string? value) => Platforms.Parse(value);

    private static async Task<Accepted<CredentialsAccepted>> SaveCredentials(
        string platform, CredentialsRequest? request, ClaimsPrincipal principal,
        LinkedAccountService service, LinkedAccountScheduler scheduler, IPublicBaseUrl publicBase, CancellationToken cancellationToken)
    {
        var parsed = ParsePlatform(platform);
        var id = await service.SaveCredentialsAsync(UserId(principal), parsed, request?.ClientId, request?.ClientSecret, cancellationToken);
        await scheduler.ValidateNowAsync(id, publicBase.Resolve(), cancellationToken);
        return TypedResults.Accepted("/api/credentials/status", new CredentialsAccepted(parsed, LinkStatus.PendingValidation));
    }

    private static async Task<Ok<IReadOnlyList<CredentialStatus>>> GetCredentialStatus(ClaimsPrincipal principal, LinkedAccountService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(await service.GetCredentialStatusesAsync(UserId(principal), cancellationToken));

    private static async Task<RedirectHttpResult> StartLink(
        string platform, ClaimsPrincipal principal, LinkedAccountService service, IPublicBaseUrl publicBase, CancellationToken cancellationToken)
    {
        var url = await service.StartLinkAsync(UserId(principal), ParsePlatform(platform), publicBase.Resolve(), cancellationToken);
        return TypedResults.Redirect(url);
    }

    private static async Task<RedirectHttpResult> Callback(
        string platform, [AsParameters] OAuthCallbackParameters query, LinkedAccountService service, LinkedAccountScheduler scheduler, CancellationToken cancellationToken)
    {
        var parsed = ParsePlatform(platform);
        var accountId = await service.CompleteLinkAsync(parsed, query.Code, query.State, query.Error, cancellationToken);
        await scheduler.SyncNowAsync(accountId, "link", cancellationToken);
        return TypedResults.Redirect($"/acct?linked={parsed.ToWire()}");
    }

    private static async Task<NoContent> Unlink(string platform, ClaimsPrincipal principal, LinkedAccountService service, CancellationToken cancellationToken)
    {
        await service.UnlinkAsync(UserId(principal), ParsePlatform(platform), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<LinkedAccountView>>> GetLinks(ClaimsPrincipal principal, LinkedAccountService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(await service.GetLinkedAccountsAsync(UserId(principal), cancellationToken));

    private static async Task<Accepted<SyncAccepted>> SyncNow(
        string platform, ClaimsPrincipal principal, LinkedAccountService service, LinkedAccountScheduler scheduler, CancellationToken cancellationToken)
    {
        var parsed = ParsePlatform(platform);
        var accountId = await service.RequireConnectedAsync(UserId(principal), parsed, cancellationToken);
        await scheduler.SyncNowAsync(accountId, "manual", cancellationToken);
        return TypedResults.Accepted("/api/crm/performance", new SyncAccepted(parsed, "queued"));
    }

    private static async Task<Ok<CrmPerformance>> GetPerformance([AsParameters] CrmQueryParameters query, ClaimsPrincipal principal, ICrmQueries crm, CancellationToken cancellationToken) =>
        TypedResults.Ok(await crm.GetPerformanceAsync(UserId(principal), query.Parse(), cancellationToken));

    private static async Task<FileContentHttpResult> ExportCsv([AsParameters] CrmQueryParameters query, ClaimsPrincipal principal, ICrmQueries crm, CancellationToken cancellationToken)
    {
        var period = query.Parse();
        var performance = await crm.GetPerformanceAsync(UserId(principal), period, cancellationToken);
        return TypedResults.File(CrmCsv.Write(performance), "text/csv", string.Create(CultureInfo.InvariantCulture, $"crm-{period.TotalDays:0}d.csv"));
    }

    private static async Task<Ok<IReadOnlyList<IngestionRunView>>> GetIngestionRuns([AsParameters] IngestionQueryParameters query, IIngestionQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.GetRecentAsync(query.Parse(), IngestionQueryParameters.Take, cancellationToken));
}

/// <summary>The CRM's posts as CSV (<see cref="TerminalCsv"/>; ISO-8601 UTC times).</summary>
public static class CrmCsv
{
    public static byte[] Write(CrmPerformance performance) => TerminalCsv.Write(
        ["platform", "title", "publishedAt", "views", "likes", "comments", "shares", "engagementRate", "url"],
        performance.Posts,
        static (csv, post) =>
        {
            csv.WriteField(post.Platform.ToWire());
            csv.WriteField(post.Title);
            csv.WriteField(post.PublishedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            csv.WriteField(post.Views);
            csv.WriteField(post.Likes);
            csv.WriteField(post.Comments);
            csv.WriteField(post.Shares);
            csv.WriteField(post.EngagementRate?.ToString("0.######", CultureInfo.InvariantCulture));
            csv.WriteField(post.Url);
        });
}
