using Microsoft.AspNetCore.Mvc;
using Terminal.Core.Market;
using Terminal.Core.Trends;

namespace Terminal.Web.Features.Market;

/// <summary>
/// The trends query string (<c>/api/analytics/trends</c> and <c>/ext-api/v1/trends</c>), bound as sent and
/// parsed once by <see cref="Parse"/> through <see cref="QueryParameters"/>; bad input throws a 400.
/// </summary>
public sealed class TrendQueryParameters
{
    /// <summary>clips, creators (default) or topics.</summary>
    [FromQuery(Name = "type")] public string? Type { get; init; }

    /// <summary>all (default), tiktok, instagram or youtube.</summary>
    [FromQuery(Name = "platform")] public string? Platform { get; init; }

    /// <summary>1h, 24h (default), 7d or 30d.</summary>
    [FromQuery(Name = "period")] public string? Period { get; init; }

    /// <summary>Top rows returned, 1–500 (default 50).</summary>
    [FromQuery(Name = "limit")] public string? Limit { get; init; }

    /// <summary>Optional niche filter (topic id): heat × topic relevance, unrelated entities left out.</summary>
    [FromQuery(Name = "topic")] public string? Topic { get; init; }

    /// <summary>Optional name filter (case-insensitive substring); ranks stay those of the full ranking.</summary>
    [FromQuery(Name = "search")] public string? Search { get; init; }

    /// <summary>Optional market: all (default), live (real platform data) or demo (SPEC §9).</summary>
    [FromQuery(Name = "source")] public string? Source { get; init; }

    public TrendQuery Parse()
    {
        var kind = QueryParameters.ParseKind(Type, EntityKind.Creator);
        var platform = QueryParameters.ParsePlatformOrAll(Platform);
        var period = QueryParameters.ParsePeriod(Period, Terminal.Core.Market.Period.Day);
        var limit = QueryParameters.ParseLimit(Limit, MarketEndpoints.DefaultLimit, MarketEndpoints.MaxLimit);
        var source = QueryParameters.ParseSource(Source);
        var topic = QueryParameters.ParseTopicId(Topic);
        return new TrendQuery(kind, platform, period, limit, topic, string.IsNullOrWhiteSpace(Search) ? null : Search.Trim()) { Source = source };
    }
}

/// <summary>The <c>/api/analytics/timeseries</c> query string, parsed once by <see cref="Parse"/>.</summary>
public sealed class TimeseriesParameters
{
    /// <summary><c>creator:{id}</c>, <c>clip:{id}</c> or <c>topic:{id}</c>.</summary>
    [FromQuery(Name = "entity")] public string? Entity { get; init; }

    /// <summary>views (default), likes, shares, followers, velocity or clipperCount.</summary>
    [FromQuery(Name = "metric")] public string? Metric { get; init; }

    /// <summary>1h, 24h (default), 7d or 30d.</summary>
    [FromQuery(Name = "period")] public string? Period { get; init; }

    public (EntityKind Kind, int Id, string Metric, Terminal.Core.Market.Period Period) Parse()
    {
        var (kind, id) = QueryParameters.ParseEntity(Entity);
        var metric = QueryParameters.ParseMetric(Metric);
        var period = QueryParameters.ParsePeriod(Period, Terminal.Core.Market.Period.Day);
        return (kind, id, metric, period);
    }
}

/// <summary>The <c>/api/creators</c> query string, parsed once by <see cref="Parse"/>.</summary>
public sealed class CreatorSearchParameters
{
    /// <summary>Optional handle or name filter (case-insensitive substring).</summary>
    [FromQuery(Name = "search")] public string? Search { get; init; }

    /// <summary>Rows returned, 1–500 (default 50).</summary>
    [FromQuery(Name = "limit")] public string? Limit { get; init; }

    public (string? Search, int Limit) Parse() =>
        (string.IsNullOrWhiteSpace(Search) ? null : Search.Trim(), QueryParameters.ParseLimit(Limit, MarketEndpoints.DefaultLimit, MarketEndpoints.MaxLimit));
}

/// <summary>The <c>/api/creators/{id}</c> query string, parsed once by <see cref="Parse"/>.</summary>
public sealed class CreatorQueryParameters
{
    /// <summary>1h, 24h (default), 7d or 30d: the KPI strip's window.</summary>
    [FromQuery(Name = "period")] public string? Period { get; init; }

    public Terminal.Core.Market.Period Parse() => QueryParameters.ParsePeriod(Period, Terminal.Core.Market.Period.Day);
}
