using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Terminal.Core.Market;

namespace Terminal.Core.Alerts;

/// <summary>One member of a watchlist: a market creator, topic or clip (SPEC §11 <c>{type,id}</c>).</summary>
public sealed record WatchlistItem(EntityKind Type, int Id, Platform? Platform = null);

/// <summary>A user's named watchlist (SPEC §11).</summary>
public sealed record Watchlist(long Id, string Name, IReadOnlyList<WatchlistItem> Items, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>What an alert rule watches (SPEC §11). Wire names are the snake_case strings of the attributes (<see cref="AlertKinds"/>).</summary>
public enum AlertKind
{
    /// <summary>Δ% of velocity (in percent) rises above the threshold.</summary>
    [JsonStringEnumMemberName("velocity_change_above")] VelocityChangeAbove = 1,

    /// <summary>Δ% of velocity (in percent) falls below the threshold.</summary>
    [JsonStringEnumMemberName("velocity_change_below")] VelocityChangeBelow = 2,

    /// <summary>Heat (0–100) rises across the threshold.</summary>
    [JsonStringEnumMemberName("heat_cross")] HeatCross = 3,

    /// <summary>A creator's under-clipped score (0–100) rises above the threshold.</summary>
    [JsonStringEnumMemberName("under_clipped_above")] UnderClippedAbove = 4,

    /// <summary>A clip enters the trending set (SPEC §3 trending indicator).</summary>
    [JsonStringEnumMemberName("clip_trending")] ClipTrending = 5,

    /// <summary>A creator published a new VOD (an ended live stream became a VOD of the market).</summary>
    [JsonStringEnumMemberName("new_vod")] NewVod = 6,

    /// <summary>A creator went live (first poll that sees the stream live).</summary>
    [JsonStringEnumMemberName("live_start")] LiveStart = 7,

    /// <summary>A post of one of the user's linked accounts became an outlier against that account's own
    /// history (SPEC §10 outlier ratio at or above the threshold, its interval above 1); fires once per post.</summary>
    [JsonStringEnumMemberName("own_post_outlier")] OwnPostOutlier = 8,
}

public static class AlertKinds
{
    /// <summary>Kinds that fire on a discrete event of a creator (<see cref="IAlertEvents"/>), not on a market reading.</summary>
    public static bool IsEvent(this AlertKind kind) => kind is AlertKind.NewVod or AlertKind.LiveStart;

    /// <summary>Every kind's wire name, in declaration order.</summary>
    public static IReadOnlyList<string> WireNames { get; } = global::Terminal.Core.WireNames.All<AlertKind>();

    public static string ToWire(this AlertKind kind) => global::Terminal.Core.WireNames.ToWire(kind);

    /// <summary>Parses a wire name in any case; only the declared kinds are accepted.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out AlertKind? kind) => global::Terminal.Core.WireNames.TryParse(value, out kind);
}

/// <summary>Where a rule looks: one entity (<c>creator:12</c>, <c>clip:7</c>, <c>topic:3</c>), a watchlist
/// (<c>watchlist:5</c>, its members), a niche (<c>niche:3</c>: every creator and clip of topic 3), or the
/// user's own linked accounts (<c>account:4</c>: one linked account; <c>account:all</c>, id 0: all of them).</summary>
public sealed record AlertScope(AlertScopeType Type, long Id)
{
    public EntityKind? EntityKind => Type switch
    {
        AlertScopeType.Creator => Market.EntityKind.Creator,
        AlertScopeType.Clip => Market.EntityKind.Clip,
        AlertScopeType.Topic => Market.EntityKind.Topic,
        _ => null,
    };

    /// <summary>An <see cref="AlertScopeType.Account"/> scope over every linked account of the user.</summary>
    public bool IsAllAccounts => Type == AlertScopeType.Account && Id == 0;

    public override string ToString() => IsAllAccounts ? "account:all" : $"{WireNames.ToWire(Type)}:{Id}";

    public static bool TryParse(string? value, [NotNullWhen(true)] out AlertScope? scope)
    {
        scope = null;
        var parts = value?.Trim().Split(':');
        if (parts is { Length: 2 } && string.Equals(parts[0], "account", StringComparison.OrdinalIgnoreCase) && string.Equals(parts[1], "all", StringComparison.OrdinalIgnoreCase))
        {
            scope = new AlertScope(AlertScopeType.Account, 0);
            return true;
        }

        if (parts is not { Length: 2 } || !long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id <= 0 || id > int.MaxValue)
        {
            return false;
        }

        if (!WireNames.TryParse(parts[0], out AlertScopeType? type))
        {
            return false;
        }

        scope = new AlertScope(type.Value, id);
        return true;
    }
}

/// <summary>The kind part of a scope (<c>creator:12</c>…); its wire names are the attributes'.</summary>
public enum AlertScopeType
{
    [JsonStringEnumMemberName("creator")] Creator = 1,
    [JsonStringEnumMemberName("clip")] Clip = 2,
    [JsonStringEnumMemberName("topic")] Topic = 3,
    [JsonStringEnumMemberName("watchlist")] Watchlist = 4,
    [JsonStringEnumMemberName("niche")] Niche = 5,

    /// <summary>One of the user's linked accounts (its id), or all of them (id 0).</summary>
    [JsonStringEnumMemberName("account")] Account = 6,
}

/// <summary>How a firing reaches its owner (SPEC §11 <c>channels:[toast|webhook]</c>).</summary>
[Flags]
public enum AlertChannels
{
    [JsonStringEnumMemberName("none")] None = 0,
    [JsonStringEnumMemberName("toast")] Toast = 1,
    [JsonStringEnumMemberName("webhook")] Webhook = 2,
}

public static class AlertChannelNames
{
    private static readonly AlertChannels[] Each = [AlertChannels.Toast, AlertChannels.Webhook];

    /// <summary>The wire names of the channels set in <paramref name="channels"/>, in declaration order.</summary>
    public static IReadOnlyList<string> ToWire(this AlertChannels channels) =>
        Each.Where(c => channels.HasFlag(c)).Select(c => WireNames.ToWire(c)).ToArray();

    /// <summary>Parses one channel's wire name (<c>toast</c> or <c>webhook</c>, any case); <c>none</c> is not a channel.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out AlertChannels? channel)
    {
        if (WireNames.TryParse(value, out channel) && channel != AlertChannels.None)
        {
            return true;
        }

        channel = null;
        return false;
    }
}

/// <summary>A user's alert rule (SPEC §11 <c>{kind,scope,threshold,cooldownMinutes,channels}</c>).</summary>
public sealed record AlertRule(long Id, string UserId, AlertKind Kind, AlertScope Scope, double Threshold, int CooldownMinutes, AlertChannels Channels, Period Period, DateTime CreatedAt);

/// <summary>When a rule last fired for an entity (what the monitor restores its cooldowns from).</summary>
public sealed record AlertLastFiring(long RuleId, string Entity, DateTime At);

/// <summary>A stored firing of a rule (SPEC §11 hub message <c>Alert {id,ruleId,kind,entity,message,at}</c>).</summary>
public sealed record AlertFiring(long Id, long RuleId, string UserId, AlertKind Kind, string Entity, string Message, double Value, DateTime At, DateTime? AcknowledgedAt);

/// <summary>A firing about to be stored.</summary>
public sealed record NewAlertFiring(long RuleId, string UserId, AlertKind Kind, string Entity, string Message, double Value, DateTime At);

/// <summary>A user's webhook receiver; its signing secret lives in the secret store.</summary>
public sealed record WebhookEndpoint(long Id, string UserId, string Url, bool Enabled, int ConsecutiveFailures, DateTime CreatedAt, DateTime? DisabledAt);

/// <summary>One attempt to deliver a firing to a webhook.</summary>
public sealed record WebhookDelivery(long Id, long EndpointId, long FiringId, int Attempt, int? ResponseCode, string? Error, DateTime At);

/// <summary>Watchlists, per user (SPEC §11). Every method is scoped to the owner: another user's list is "not found".</summary>
public interface IWatchlistStore
{
    Task<IReadOnlyList<Watchlist>> ListAsync(string userId, CancellationToken cancellationToken = default);

    Task<Watchlist?> GetAsync(string userId, long id, CancellationToken cancellationToken = default);

    Task<Watchlist> CreateAsync(string userId, string name, IReadOnlyList<WatchlistItem> items, DateTime now, CancellationToken cancellationToken = default);

    /// <summary>Replaces name and items; null when the list is not the user's.</summary>
    Task<Watchlist?> UpdateAsync(string userId, long id, string name, IReadOnlyList<WatchlistItem> items, DateTime now, CancellationToken cancellationToken = default);

    Task<bool> DeleteAsync(string userId, long id, CancellationToken cancellationToken = default);

    /// <summary>Every user's watchlists (the alert monitor resolves watchlist scopes from them).</summary>
    Task<IReadOnlyList<(string UserId, Watchlist List)>> AllAsync(CancellationToken cancellationToken = default);
}

/// <summary>Alert rules, firings and webhook endpoints (SPEC §11).</summary>
public interface IAlertStore
{
    Task<IReadOnlyList<AlertRule>> RulesAsync(string userId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AlertRule>> AllRulesAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a rule unless the user already holds <paramref name="maxRules"/>; null then.</summary>
    Task<AlertRule?> AddRuleAsync(AlertRule rule, int maxRules, CancellationToken cancellationToken = default);

    Task<bool> DeleteRuleAsync(string userId, long id, CancellationToken cancellationToken = default);

    Task<AlertFiring> AddFiringAsync(NewAlertFiring firing, CancellationToken cancellationToken = default);

    /// <summary>Whether the user's rule has fired on this entity before (once-per-entity kinds, across restarts and nodes).</summary>
    Task<bool> HasFiredAsync(string userId, long ruleId, string entity, CancellationToken cancellationToken = default);

    /// <summary>The latest firing per rule and entity of every user at or after <paramref name="since"/> (the alert
    /// monitor's memory of recent firings when it starts or takes over evaluating).</summary>
    Task<IReadOnlyList<AlertLastFiring>> LatestFiringsSinceAsync(DateTime since, CancellationToken cancellationToken = default);

    /// <summary>The user's firings at or after <paramref name="since"/>, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AlertFiring>> FiringsAsync(string userId, DateTime? since, int limit, CancellationToken cancellationToken = default);

    Task<int> UnacknowledgedCountAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Acknowledges a firing of the user (idempotent); false when it is not theirs.</summary>
    Task<bool> AcknowledgeAsync(string userId, long firingId, DateTime at, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<WebhookEndpoint>> WebhooksAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Adds an endpoint unless the user already holds <paramref name="maxWebhooks"/>; null then.</summary>
    Task<WebhookEndpoint?> AddWebhookAsync(string userId, string url, string secretReference, int maxWebhooks, DateTime now, CancellationToken cancellationToken = default);

    /// <summary>The secret reference of the user's endpoint (null when not theirs).</summary>
    Task<string?> WebhookSecretReferenceAsync(long endpointId, CancellationToken cancellationToken = default);

    /// <summary>Deletes the user's endpoint and returns its secret reference (so the caller can delete
    /// the secret too); null when it is not theirs.</summary>
    Task<string?> DeleteWebhookAsync(string userId, long id, CancellationToken cancellationToken = default);

    /// <summary>Enables the user's endpoint again (after it was disabled for failing) with its failure count reset; null when it is not theirs.</summary>
    Task<WebhookEndpoint?> EnableWebhookAsync(string userId, long id, CancellationToken cancellationToken = default);

    /// <summary>Logs one delivery attempt and updates the endpoint's failure count; disables it at
    /// <paramref name="disableAfter"/> consecutive failures. Returns the endpoint as it is now.</summary>
    Task<WebhookEndpoint?> RecordDeliveryAsync(long endpointId, long firingId, int attempt, int? responseCode, string? error, bool success, int disableAfter, DateTime at, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(string userId, long endpointId, int limit, CancellationToken cancellationToken = default);
}
