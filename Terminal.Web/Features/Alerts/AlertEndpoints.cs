using System.Security.Claims;
using Terminal.Core.Alerts;
using Terminal.Core.Common;
using Terminal.Core.Market;
using Terminal.Web.Features.Api;
using Terminal.Web.Features.Billing;

namespace Terminal.Web.Features.Alerts;

/// <summary>The firings' query string (<c>/api/alerts</c>, <c>/ext-api/v1/alerts</c>), parsed once by <see cref="Parse"/>.</summary>
public sealed class AlertFiringParameters
{
    /// <summary>Optional ISO-8601 UTC time: firings at or after it.</summary>
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "since")] public string? Since { get; init; }

    public DateTime? Parse() => QueryParameters.ParseSince(Since);
}

/// <summary>SPEC §11: <c>/api/watchlists</c>, <c>/api/alerts</c> (rules, firings, acknowledge, webhooks) and <c>/ext-api/v1/alerts</c>.</summary>
public static class AlertEndpoints
{
    public const int MaxFirings = 500;

    public static IEndpointRouteBuilder MapAlertEndpoints(this IEndpointRouteBuilder app)
    {
        var lists = app.MapGroup("/api/watchlists").WithTags("Watchlists");
        lists.MapGet("/", ListWatchlists).WithSummary("The caller's watchlists with their items.");
        lists.MapPost("/", CreateWatchlist).WithSummary("Create a watchlist {name, items:[{type: creator|topic|clip, id, platform?}]}.");
        lists.MapPut("/{id:long}", UpdateWatchlist).WithSummary("Replace a watchlist's name and items (404 for another user's list).");
        lists.MapDelete("/{id:long}", DeleteWatchlist).WithSummary("Delete one of the caller's watchlists.");

        var alerts = app.MapGroup("/api/alerts").WithTags("Alerts");
        alerts.MapGet("/rules", ListRules).WithSummary("The caller's alert rules.");
        alerts.MapPost("/rules", CreateRule)
            .WithSummary("Create an alert rule {kind, scope, threshold, cooldownMinutes, channels:[toast|webhook], period?}.")
            .WithDescription("kind = velocity_change_above|velocity_change_below (Δ% in percent)|heat_cross (0–100)|under_clipped_above (creators, 0–100)|clip_trending (clips, no threshold); " +
                "scope = creator:<id>|clip:<id>|topic:<id>|niche:<topicId> (its creators and clips)|watchlist:<id>; period 1h|24h|7d|30d (default 24h); cooldownMinutes 0–10080 (default 60). " +
                "A rule fires when the value reaches the threshold, then re-arms only after it went back by 5 % of the threshold (at least 1 point), and never within its cooldown. 409 too_many_rules past the plan's MaxAlertRules.");
        alerts.MapDelete("/rules/{id:long}", DeleteRule).WithSummary("Delete one of the caller's alert rules (its firings stay in the history).");
        alerts.MapGet("/", ListFirings).WithSummary("The caller's alert firings at or after since (ISO-8601 UTC), newest first, at most 500.");
        alerts.MapGet("/unread", Unread).WithSummary("How many of the caller's firings are not acknowledged.");
        alerts.MapPost("/{id:long}/ack", Acknowledge).WithSummary("Acknowledge one of the caller's firings (idempotent).");
        alerts.MapGet("/webhooks", ListWebhooks).WithSummary("The caller's webhook endpoints (secrets are never returned again).");
        alerts.MapPost("/webhooks", CreateWebhook)
            .WithSummary("Add a webhook endpoint {url}; the signing secret is in this response only.")
            .WithDescription("Each firing of a rule with the webhook channel is POSTed as JSON {id,ruleId,kind,entity,message,value,at,acknowledgedAt} with " +
                "X-Terminal-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, \"t.body\")>. Retried with exponential backoff; disabled after repeated failures. Private addresses are refused.");
        alerts.MapDelete("/webhooks/{id:long}", DeleteWebhook).WithSummary("Delete one of the caller's webhook endpoints.");
        alerts.MapPost("/webhooks/{id:long}/enable", EnableWebhook).WithSummary("Enable one of the caller's endpoints again after it was disabled for failing; its failure count starts over.");
        alerts.MapGet("/webhooks/{id:long}/deliveries", Deliveries).WithSummary("The delivery log of one of the caller's endpoints: attempt, response code, time.");

        app.MapGroup("/ext-api/v1").WithTags("External API").RequireAuthorization(ApiKeyDefaults.Policy).RequireExternalApiQuota()
            .MapGet("/alerts", ListFirings)
            .WithName("ExtAlerts")
            .Produces<List<AlertDto>>()
            .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ApiErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ApiErrorBody>(StatusCodes.Status429TooManyRequests)
            .WithSummary("The key owner's alert firings (same body as /api/alerts): a bare array, newest first.")
            .WithDescription("since (ISO-8601 UTC) returns firings at or after it; at most 500. Needs X-Api-Key; 429 with Retry-After past the plan's per-minute limit.");
        return app;
    }

    private static string UserId(ClaimsPrincipal principal) => BillingEndpoints.UserId(principal);

    private static async Task<Ok<List<WatchlistDto>>> ListWatchlists(ClaimsPrincipal principal, IWatchlistStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListAsync(UserId(principal), ct)).Select(WatchlistDto.From).ToList());

    private static async Task<Created<WatchlistDto>> CreateWatchlist(WatchlistRequest request, ClaimsPrincipal principal, AlertService service, CancellationToken ct)
    {
        var list = await service.CreateWatchlistAsync(UserId(principal), request, ct);
        return TypedResults.Created($"/api/watchlists/{list.Id}", WatchlistDto.From(list));
    }

    private static async Task<Ok<WatchlistDto>> UpdateWatchlist(long id, WatchlistRequest request, ClaimsPrincipal principal, AlertService service, CancellationToken ct) =>
        TypedResults.Ok(WatchlistDto.From(await service.UpdateWatchlistAsync(UserId(principal), id, request, ct)));

    private static async Task<NoContent> DeleteWatchlist(long id, ClaimsPrincipal principal, AlertService service, CancellationToken ct)
    {
        await service.DeleteWatchlistAsync(UserId(principal), id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<AlertRuleDto>>> ListRules(ClaimsPrincipal principal, IAlertStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.RulesAsync(UserId(principal), ct)).Select(AlertRuleDto.From).ToList());

    private static async Task<Created<AlertRuleDto>> CreateRule(AlertRuleRequest request, ClaimsPrincipal principal, AlertService service, CancellationToken ct)
    {
        var rule = await service.CreateRuleAsync(UserId(principal), request, ct);
        return TypedResults.Created($"/api/alerts/rules/{rule.Id}", AlertRuleDto.From(rule));
    }

    private static async Task<NoContent> DeleteRule(long id, ClaimsPrincipal principal, AlertService service, CancellationToken ct)
    {
        await service.DeleteRuleAsync(UserId(principal), id, ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Ok<List<AlertDto>>> ListFirings([AsParameters] AlertFiringParameters query, ClaimsPrincipal principal, IAlertStore store, CancellationToken ct)
    {
        var from = query.Parse();
        return TypedResults.Ok((await store.FiringsAsync(UserId(principal), from, MaxFirings, ct)).Select(AlertDto.From).ToList());
    }

    private static async Task<Ok<UnreadAlerts>> Unread(ClaimsPrincipal principal, IAlertStore store, CancellationToken ct) =>
        TypedResults.Ok(new UnreadAlerts(await store.UnacknowledgedCountAsync(UserId(principal), ct)));

    private static async Task<Ok<UnreadAlerts>> Acknowledge(long id, ClaimsPrincipal principal, IAlertStore store, AlertNotifier notifier, TimeProvider time, CancellationToken ct)
    {
        var userId = UserId(principal);
        if (!await store.AcknowledgeAsync(userId, id, time.GetUtcNow().UtcDateTime, ct))
        {
            throw TerminalException.NotFound("alert_not_found", "No such alert.");
        }

        var unread = await store.UnacknowledgedCountAsync(userId, ct);
        notifier.PublishUnread(userId, unread);
        return TypedResults.Ok(new UnreadAlerts(unread));
    }

    private static async Task<Ok<List<WebhookDto>>> ListWebhooks(ClaimsPrincipal principal, IAlertStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.WebhooksAsync(UserId(principal), ct)).Select(w => WebhookDto.From(w)).ToList());

    private static async Task<Created<WebhookDto>> CreateWebhook(WebhookRequest request, ClaimsPrincipal principal, AlertService service, CancellationToken ct)
    {
        var (endpoint, secret) = await service.CreateWebhookAsync(UserId(principal), request, ct);
        return TypedResults.Created($"/api/alerts/webhooks/{endpoint.Id}", WebhookDto.From(endpoint, secret));
    }

    private static async Task<NoContent> DeleteWebhook(long id, ClaimsPrincipal principal, AlertService service, CancellationToken ct)
    {
        await service.DeleteWebhookAsync(UserId(principal), id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<WebhookDto>> EnableWebhook(long id, ClaimsPrincipal principal, AlertService service, CancellationToken ct) =>
        TypedResults.Ok(WebhookDto.From(await service.EnableWebhookAsync(UserId(principal), id, ct)));

    private static async Task<Ok<List<WebhookDeliveryDto>>> Deliveries(long id, ClaimsPrincipal principal, IAlertStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.DeliveriesAsync(UserId(principal), id, 200, ct)).Select(d => new WebhookDeliveryDto(d.Id, d.FiringId, d.Attempt, d.ResponseCode, d.Error, d.At)).ToList());
}

public sealed record UnreadAlerts(int Unread);
