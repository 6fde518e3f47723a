using System.Globalization;
using Terminal.Core.Common;
using Terminal.Core.LinkedAccounts;

namespace Terminal.Core.Market;

/// <summary>
/// One parser per API query parameter: the same default, error code and message wherever the
/// parameter appears. Each throws <see cref="TerminalException"/> (400) on bad input, which the web
/// layer writes as the SPEC §4 error body.
/// </summary>
public static class QueryParameters
{
    /// <summary><c>1h|24h|7d|30d</c>; absent means <paramref name="fallback"/>.</summary>
    public static Period ParsePeriod(string? value, Period fallback) =>
        value is null ? fallback
        : Periods.TryParse(value, out var period) ? period.Value
        : throw TerminalException.BadRequest("invalid_period", $"Unknown period '{value}'. Use 1h, 24h, 7d or 30d.");

    /// <summary><c>all|tiktok|instagram|youtube</c>; absent, blank or <c>all</c> means every platform (null).</summary>
    public static Platform? ParsePlatformOrAll(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return Platforms.TryParse(value, out var platform)
            ? platform
            : throw TerminalException.BadRequest(Platforms.InvalidCode, $"Unknown platform '{value}'. Use all, tiktok, instagram or youtube.");
    }

    /// <summary>A ranking's entity kind (<c>creators|clips|topics</c>, singular too); absent means <paramref name="fallback"/>.</summary>
    public static EntityKind ParseKind(string? value, EntityKind fallback) =>
        value is null ? fallback
        : EntityKinds.TryParse(value, out var kind) ? kind.Value
        : throw TerminalException.BadRequest("invalid_type", $"Unknown type '{value}'. Use clips, creators or topics.");

    /// <summary>A whole number from 1 to <paramref name="max"/>; absent means <paramref name="fallback"/>.</summary>
    public static int ParseLimit(string? value, int fallback, int max) =>
        value is null ? fallback
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit >= 1 && limit <= max ? limit
        : throw TerminalException.BadRequest("invalid_limit", $"limit must be a whole number from 1 to {max}.");

    /// <summary><c>all|live|demo</c>; absent or blank means all.</summary>
    public static MarketSourceFilter ParseSource(string? value) =>
        MarketSourceFilters.TryParse(value, out var source)
            ? source.Value
            : throw TerminalException.BadRequest("invalid_source", $"Unknown source '{value}'. Use all, live or demo.");

    /// <summary>A topic id (positive whole number); absent means no topic filter.</summary>
    public static int? ParseTopicId(string? value) =>
        value is null ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var topic) && topic >= 1 ? topic
        : throw TerminalException.BadRequest("invalid_topic", "topic must be a topic id (see the topics ranking).");

    /// <summary><c>creator:{id}</c>, <c>clip:{id}</c> or <c>topic:{id}</c> (singular kinds only).</summary>
    public static (EntityKind Kind, int Id) ParseEntity(string? value)
    {
        var parts = value?.Split(':', 2);
        if (parts is not { Length: 2 } || !EntityKinds.TryParse(parts[0], out var kind) || parts[0].EndsWith('s')
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw TerminalException.BadRequest("invalid_entity", "entity must be creator:{id}, clip:{id} or topic:{id}.");
        }

        return (kind.Value, id);
    }

    /// <summary>A stored or derived series name (<see cref="SeriesMetrics"/>); absent means views.</summary>
    public static string ParseMetric(string? value) =>
        SeriesMetrics.Normalise(value ?? SeriesMetrics.Views)
        ?? throw TerminalException.BadRequest("invalid_metric", $"Unknown metric '{value}'. Use one of: {string.Join(", ", SeriesMetrics.All)}.");

    /// <summary>An ISO-8601 instant (no offset means UTC), as UTC; absent or blank means no lower bound (null).</summary>
    public static DateTime? ParseSince(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since) ? since.UtcDateTime
        : throw TerminalException.BadRequest("invalid_since", "since must be an ISO-8601 UTC time, e.g. 2026-11-28T12:00:00Z.");

    /// <summary>A creator id (positive whole number); absent or blank means every creator (null).</summary>
    public static int? ParseCreatorId(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var creator) && creator >= 1 ? creator
        : throw TerminalException.BadRequest("invalid_creator_id", "creatorId must be a positive integer (a creator id).");

    /// <summary>A clip request's state by name (<c>pending|processing|ready|failed|cancelled</c>, any case); absent or blank means every state (null).</summary>
    public static Clips.ClipStatus? ParseClipStatus(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : !int.TryParse(value, out _) && Enum.TryParse<Clips.ClipStatus>(value.Trim(), ignoreCase: true, out var status) && Enum.IsDefined(status) ? status
        : throw TerminalException.BadRequest("invalid_status", "status must be pending, processing, ready, failed or cancelled.");

    /// <summary>The CRM's <c>7d|30d|90d</c> (any case); absent means 30d.</summary>
    public static TimeSpan ParseCrmPeriod(string? value) =>
        CrmPeriods.TryParse(value, out var period) ? period
        : throw TerminalException.BadRequest("invalid_period", "period must be 7d, 30d or 90d.");

    /// <summary>A download format: one of <paramref name="allowed"/> in any case, returned in lowercase; absent means the first.</summary>
    public static string ParseFormat(string? value, params string[] allowed)
    {
        ArgumentOutOfRangeException.ThrowIfZero(allowed.Length);
        if (value is null)
        {
            return allowed[0];
        }

        var wanted = value.Trim().ToLowerInvariant();
        return allowed.Contains(wanted)
            ? wanted
            : throw TerminalException.BadRequest("invalid_format", $"Unknown format '{value}'. Use one of: {string.Join(", ", allowed)}.");
    }

    /// <summary>A VOD id (a GUID); absent or blank means every VOD (null).</summary>
    public static Guid? ParseVodId(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : Guid.TryParse(value.Trim(), out var id) ? id
        : throw TerminalException.BadRequest("invalid_vod", "vodId must be a VOD id (a GUID).");

    /// <summary>How many rows a list returns: a whole number from 1 to <paramref name="max"/>; absent means <paramref name="fallback"/>.</summary>
    public static int ParseTake(string? value, int fallback, int max) =>
        value is null ? fallback
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var take) && take >= 1 && take <= max ? take
        : throw TerminalException.BadRequest("invalid_take", $"take must be a whole number from 1 to {max}.");
}
