using Microsoft.Extensions.Options;
using Terminal.Core.Alerts;
using Terminal.Core.Billing;
using Terminal.Core.Common;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Core.Secrets;

namespace Terminal.Web.Features.Alerts;

/// <summary>Validates and applies watchlist, rule and webhook requests of one user (SPEC §11); bad input is a 400 with the error body.</summary>
public sealed class AlertService(
    IWatchlistStore watchlists,
    IAlertStore alerts,
    IApiKeys accounts,
    ISecretStore secrets,
    WebhookUrlGuard urlGuard,
    AlertMonitor monitor,
    IOptionsMonitor<PlansOptions> plans,
    TimeProvider time,
    ILinkedAccountStore links)
{
    public const int MaxNameLength = 100;
    public const int MaxItems = 500;
    public const int MaxCooldownMinutes = 7 * 24 * 60;
    public const int DefaultCooldownMinutes = 60;
    public const double MaxThreshold = 1_000_000;

    /// <summary>Default threshold of <c>own_post_outlier</c>: twice the account's usual views at 24 h.</summary>
    public const double DefaultOutlierRatio = 2;

    public async Task<Watchlist> CreateWatchlistAsync(string userId, WatchlistRequest request, CancellationToken cancellationToken)
    {
        var (name, items) = ValidateWatchlist(request);
        var created = await watchlists.CreateAsync(userId, name, items, time.GetUtcNow().UtcDateTime, cancellationToken);
        monitor.Invalidate();
        return created;
    }

    public async Task<Watchlist> UpdateWatchlistAsync(string userId, long id, WatchlistRequest request, CancellationToken cancellationToken)
    {
        var (name, items) = ValidateWatchlist(request);
        var updated = await watchlists.UpdateAsync(userId, id, name, items, time.GetUtcNow().UtcDateTime, cancellationToken)
            ?? throw TerminalException.NotFound("watchlist_not_found", "No such watchlist.");
        monitor.Invalidate();
        return updated;
    }

    public async Task DeleteWatchlistAsync(string userId, long id, CancellationToken cancellationToken)
    {
        if (!await watchlists.DeleteAsync(userId, id, cancellationToken))
        {
            throw TerminalException.NotFound("watchlist_not_found", "No such watchlist.");
        }

        monitor.Invalidate();
    }

    public async Task<AlertRule> CreateRuleAsync(string userId, AlertRuleRequest request, CancellationToken cancellationToken)
    {
        if (!AlertKinds.TryParse(request.Kind, out var kind))
        {
            throw TerminalException.BadRequest("invalid_kind", $"kind must be one of {string.Join(", ", AlertKinds.WireNames)}.");
        }

        if (!AlertScope.TryParse(request.Scope, out var scope))
        {
            throw TerminalException.BadRequest("invalid_scope", "scope must be creator:<id>, clip:<id>, topic:<id>, niche:<topicId>, watchlist:<id>, account:<linkedAccountId> or account:all.");
        }

        if ((kind == AlertKind.OwnPostOutlier) != (scope.Type == AlertScopeType.Account))
        {
            throw TerminalException.BadRequest("invalid_scope", kind == AlertKind.OwnPostOutlier
                ? "own_post_outlier needs scope account:<linkedAccountId> (one of your linked accounts) or account:all."
                : $"{kind.Value.ToWire()} does not apply to your linked accounts; account scopes are for own_post_outlier.");
        }

        if (scope is { Type: AlertScopeType.Account, IsAllAccounts: false }
            && !(await links.LinksOfUserAsync(userId, cancellationToken)).Any(l => l.Id == scope.Id))
        {
            throw TerminalException.BadRequest("invalid_scope", "scope names a linked account you do not have.");
        }

        if (scope.Type == AlertScopeType.Watchlist && await watchlists.GetAsync(userId, scope.Id, cancellationToken) is null)
        {
            throw TerminalException.BadRequest("invalid_scope", "scope names a watchlist you do not have.");
        }

        if (scope.EntityKind is { } entityKind && !AlertMonitor.Applies(kind.Value, entityKind))
        {
            throw TerminalException.BadRequest("invalid_scope", $"{kind.Value.ToWire()} does not apply to a {entityKind.ToWire()}.");
        }

        var threshold = request.Threshold ?? (kind == AlertKind.ClipTrending || kind.Value.IsEvent() ? 0 : kind == AlertKind.OwnPostOutlier ? DefaultOutlierRatio : double.NaN);
        if (!double.IsFinite(threshold) || Math.Abs(threshold) > MaxThreshold)
        {
            throw TerminalException.BadRequest("invalid_threshold", $"threshold is required: a number between -{MaxThreshold:0} and {MaxThreshold:0}.");
        }

        if (kind is AlertKind.HeatCross or AlertKind.UnderClippedAbove && threshold is < 0 or > 100)
        {
            throw TerminalException.BadRequest("invalid_threshold", "Heat and under-clipped scores run from 0 to 100; threshold must be in that range.");
        }

        if (kind == AlertKind.OwnPostOutlier && threshold < 1)
        {
            throw TerminalException.BadRequest("invalid_threshold", "own_post_outlier's threshold is a ratio to the account's usual views at 24 h: at least 1 (default 2).");
        }

        var cooldown = request.CooldownMinutes ?? DefaultCooldownMinutes;
        if (cooldown is < 0 or > MaxCooldownMinutes)
        {
            throw TerminalException.BadRequest("invalid_cooldown", $"cooldownMinutes must be between 0 and {MaxCooldownMinutes}.");
        }

        var channels = AlertChannels.None;
        foreach (var name in request.Channels ?? ["toast"])
        {
            channels |= AlertChannelNames.TryParse(name, out var channel)
                ? channel.Value
                : throw TerminalException.BadRequest("invalid_channels", "channels may hold only toast and webhook.");
        }

        if (channels == AlertChannels.None)
        {
            throw TerminalException.BadRequest("invalid_channels", "channels needs toast, webhook or both.");
        }

        var period = Period.Day;
        if (request.Period is not null)
        {
            period = Periods.TryParse(request.Period, out var p) ? p.Value : throw TerminalException.BadRequest("invalid_period", "period must be 1h, 24h, 7d or 30d.");
        }

        var max = plans.CurrentValue.For(await accounts.PlanOfUserAsync(userId, cancellationToken)).MaxAlertRules;
        var rule = new AlertRule(0, userId, kind.Value, scope, threshold, cooldown, channels, period, time.GetUtcNow().UtcDateTime);
        var added = await alerts.AddRuleAsync(rule, max, cancellationToken)
            ?? throw TerminalException.Conflict("too_many_rules", $"Your plan allows {max} alert rules; delete one first or upgrade.");
        monitor.Invalidate();
        return added;
    }

    public async Task DeleteRuleAsync(string userId, long id, CancellationToken cancellationToken)
    {
        if (!await alerts.DeleteRuleAsync(userId, id, cancellationToken))
        {
            throw TerminalException.NotFound("rule_not_found", "No such alert rule.");
        }

        monitor.Invalidate();
    }

    /// <summary>Adds a webhook endpoint with a fresh signing secret (returned this once; kept in the secret store).</summary>
    public async Task<(WebhookEndpoint Endpoint, string Secret)> CreateWebhookAsync(string userId, WebhookRequest request, CancellationToken cancellationToken)
    {
        var uri = await urlGuard.CheckAsync(request.Url, cancellationToken);
        var max = plans.CurrentValue.For(await accounts.PlanOfUserAsync(userId, cancellationToken)).MaxWebhooks;
        var secret = "whsec_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        var reference = await secrets.SetAsync(secret, cancellationToken: cancellationToken);
        var endpoint = await alerts.AddWebhookAsync(userId, uri.AbsoluteUri, reference, max, time.GetUtcNow().UtcDateTime, cancellationToken);
        if (endpoint is null)
        {
            await secrets.DeleteAsync(reference, cancellationToken);
            throw TerminalException.Conflict("too_many_webhooks", $"Your plan allows {max} webhook endpoints; delete one first or upgrade.");
        }

        return (endpoint, secret);
    }

    /// <summary>Deletes the user's endpoint and then its signing secret, so a deleted endpoint leaves
    /// nothing behind in the secret store (Key Vault or the local store).</summary>
    public async Task DeleteWebhookAsync(string userId, long id, CancellationToken cancellationToken)
    {
        var reference = await alerts.DeleteWebhookAsync(userId, id, cancellationToken)
            ?? throw TerminalException.NotFound("webhook_not_found", "No such webhook.");
        await secrets.DeleteAsync(reference, cancellationToken);
    }

    /// <summary>Enables an endpoint again after it was disabled for failing (its failure count starts over).</summary>
    public async Task<WebhookEndpoint> EnableWebhookAsync(string userId, long id, CancellationToken cancellationToken) =>
        await alerts.EnableWebhookAsync(userId, id, cancellationToken)
            ?? throw TerminalException.NotFound("webhook_not_found", "No such webhook.");

    private static (string Name, IReadOnlyList<WatchlistItem> Items) ValidateWatchlist(WatchlistRequest request)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            throw TerminalException.BadRequest("invalid_name", $"name is required, at most {MaxNameLength} characters.");
        }

        var requested = request.Items ?? [];
        if (requested.Count > MaxItems)
        {
            throw TerminalException.BadRequest("too_many_items", $"A watchlist holds at most {MaxItems} items.");
        }

        var items = new List<WatchlistItem>();
        var seen = new HashSet<(EntityKind, int)>();
        foreach (var item in requested)
        {
            if (item is null || !EntityKinds.TryParse(item.Type, out var type))
            {
                throw TerminalException.BadRequest("invalid_item", "Each item needs type creator, topic or clip.");
            }

            if (item.Id <= 0)
            {
                throw TerminalException.BadRequest("invalid_item", "Each item needs a positive id.");
            }

            Platform? platform = null;
            if (!string.IsNullOrWhiteSpace(item.Platform))
            {
                platform = Platforms.TryParse(item.Platform, out var p) ? p : throw TerminalException.BadRequest("invalid_item", "platform must be tiktok, instagram or youtube.");
            }

            if (seen.Add((type.Value, item.Id)))
            {
                items.Add(new WatchlistItem(type.Value, item.Id, platform));
            }
        }

        return (name, items);
    }
}
