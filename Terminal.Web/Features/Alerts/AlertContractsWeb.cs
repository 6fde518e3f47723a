using Terminal.Core.Alerts;
using Terminal.Core.Market;

namespace Terminal.Web.Features.Alerts;

/// <summary>A watchlist member on the wire: <c>{type: creator|topic|clip, id, platform?}</c>.</summary>
public sealed record WatchlistItemDto(string? Type, int Id, string? Platform = null);

/// <summary>SPEC §11 watchlist body <c>{name,items:[{type,id}]}</c>.</summary>
public sealed record WatchlistRequest(string? Name, IReadOnlyList<WatchlistItemDto>? Items);

public sealed record WatchlistDto(long Id, string Name, IReadOnlyList<WatchlistItemDto> Items, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static WatchlistDto From(Watchlist list) => new(
        list.Id,
        list.Name,
        list.Items.Select(i => new WatchlistItemDto(i.Type.ToWire(), i.Id, i.Platform?.ToWire())).ToList(),
        list.CreatedAt,
        list.UpdatedAt);
}

/// <summary>SPEC §11 rule body <c>{kind,scope,threshold,cooldownMinutes,channels:[toast|webhook]}</c>, plus an optional <c>period</c> (default 24h).</summary>
public sealed record AlertRuleRequest(string? Kind, string? Scope, double? Threshold, int? CooldownMinutes, IReadOnlyList<string>? Channels, string? Period);

public sealed record AlertRuleDto(long Id, string Kind, string Scope, double Threshold, int CooldownMinutes, IReadOnlyList<string> Channels, string Period, DateTime CreatedAt)
{
    public static AlertRuleDto From(AlertRule rule) => new(
        rule.Id, rule.Kind.ToWire(), rule.Scope.ToString(), rule.Threshold, rule.CooldownMinutes, ChannelNames(rule.Channels), rule.Period.ToWire(), rule.CreatedAt);

    public static IReadOnlyList<string> ChannelNames(AlertChannels channels) => channels.ToWire();
}

/// <summary>A firing as the API, the hub (<c>Alert {id,ruleId,kind,entity,message,at}</c>) and webhooks send it.</summary>
public sealed record AlertDto(long Id, long RuleId, string Kind, string Entity, string Message, double Value, DateTime At, DateTime? AcknowledgedAt)
{
    public static AlertDto From(AlertFiring f) => new(f.Id, f.RuleId, f.Kind.ToWire(), f.Entity, f.Message, f.Value, f.At, f.AcknowledgedAt);
}

public sealed record WebhookRequest(string? Url);

/// <summary>A webhook endpoint; <c>secret</c> is set only in the response that created it.</summary>
public sealed record WebhookDto(long Id, string Url, bool Enabled, int ConsecutiveFailures, DateTime CreatedAt, DateTime? DisabledAt, string? Secret = null)
{
    public static WebhookDto From(WebhookEndpoint w, string? secret = null) => new(w.Id, w.Url, w.Enabled, w.ConsecutiveFailures, w.CreatedAt, w.DisabledAt, secret);
}

public sealed record WebhookDeliveryDto(long Id, long FiringId, int Attempt, int? ResponseCode, string? Error, DateTime At);
