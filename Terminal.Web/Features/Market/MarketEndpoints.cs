using System.Globalization;
using Terminal.Core.Market;
using Terminal.Core.Trends;

namespace Terminal.Web.Features.Market;

/// <summary>SPEC §4 analytics and creator endpoints.</summary>
public static class MarketEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapMarketEndpoints(this IEndpointRouteBuilder app)
    {
        var analytics = app.MapGroup("/api/analytics").WithTags("Analytics");
        analytics.MapGet("/trends", GetTrends)
            .Produces<TrendResult>()
            .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .WithSummary("Trending creators, clips or topics ranked by heat (SPEC §3), top `limit` (default 50, at most 500); optional `topic` (niche id), `search` and `source` (all|live|demo) filters.");
        analytics.MapGet("/timeseries", GetTimeseries)
            .Produces<TimeseriesResponse>()
            .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ApiErrorBody>(StatusCodes.Status404NotFound)
            .WithSummary("A stored cumulative series (views, likes, shares, followers) or a derived one (velocity, clipperCount) of `creator:{id}`, `clip:{id}` or `topic:{id}`, oldest first.");

        var creators = app.MapGroup("/api/creators").WithTags("Creators");
        creators.MapGet("", SearchCreators).Produces<IReadOnlyList<CreatorSummary>>().WithSummary("Monitored creators matching `search` (handle or name), most followed first.");
        creators.MapGet("/{id}", GetCreator).Produces<CreatorDetail>().Produces<ApiErrorBody>(StatusCodes.Status404NotFound).WithSummary("A creator (by id or handle) with its KPIs for `period` (default 24h).");
        creators.MapGet("/{id}/vods", GetCreatorVods).Produces<IReadOnlyList<VodListItem>>().Produces<ApiErrorBody>(StatusCodes.Status404NotFound).WithSummary("The creator's VODs, newest first.");
        return app;
    }

    /// <summary>Parses the trends query string; an error result for bad input.</summary>
    public static bool TryParseTrendQuery(
        string? type, string? platform, string? period, string? limit, string? topic, string? search, string? source,
        out TrendQuery query, out IResult? error)
    {
        query = null!;
        error = null;
        if (!EntityKinds.TryParse(type ?? "creators", out var kind))
        {
            error = ApiResults.BadRequest("invalid_type", $"Unknown type '{type}'. Use clips, creators or topics.");
            return false;
        }

        Platform? platformFilter = null;
        if (!string.IsNullOrWhiteSpace(platform) && !platform.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            if (!Platforms.TryParse(platform, out var p))
            {
                error = ApiResults.BadRequest(Platforms.InvalidCode, $"Unknown platform '{platform}'. Use all, tiktok, instagram or youtube.");
                return false;
            }

            platformFilter = p;
        }

        if (!Periods.TryParse(period ?? "24h", out var window))
        {
            error = ApiResults.BadRequest("invalid_period", $"Unknown period '{period}'. Use 1h, 24h, 7d or 30d.");
            return false;
        }

        var take = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take < 1 || take > MaxLimit))
        {
            error = ApiResults.BadRequest("invalid_limit", $"limit must be a whole number from 1 to {MaxLimit}.");
            return false;
        }

        if (!MarketSourceFilters.TryParse(source, out var sourceFilter))
        {
            error = ApiResults.BadRequest("invalid_source", $"Unknown source '{source}'. Use all, live or demo.");
            return false;
        }

        int? topicId = null;
        if (topic is not null)
        {
            if (!int.TryParse(topic, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedTopic) || parsedTopic < 1)
            {
                error = ApiResults.BadRequest("invalid_topic", "topic must be a topic id (see the topics ranking).");
                return false;
            }

            topicId = parsedTopic;
        }

        query = new TrendQuery(kind.Value, platformFilter, window.Value, take, topicId, string.IsNullOrWhiteSpace(search) ? null : search.Trim())
        {
            Source = sourceFilter.Value,
        };
        return true;
    }

    /// <param name="topic">Optional niche filter (topic id): heat × topic relevance, unrelated entities left out.</param>
    /// <param name="search">Optional name filter (case-insensitive substring); ranks stay those of the full ranking.</param>
    /// <param name="source">Optional market: all (default), live (real platform data) or demo (SPEC §9).</param>
    private static IResult GetTrends(string? type, string? platform, string? period, string? limit, string? topic, string? search, string? source, ITrendReader trends) =>
        TryParseTrendQuery(type, platform, period, limit, topic, search, source, out var query, out var error)
            ? TypedResults.Ok(trends.Query(query))
            : error!;

    private static async Task<IResult> GetTimeseries(string? entity, string? metric, string? period, IMarketQueries market, CancellationToken cancellationToken)
    {
        var parts = entity?.Split(':', 2);
        if (parts is not { Length: 2 } || !EntityKinds.TryParse(parts[0], out var kind) || parts[0].EndsWith('s')
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return ApiResults.BadRequest("invalid_entity", "entity must be creator:{id}, clip:{id} or topic:{id}.");
        }

        var name = SeriesMetrics.Normalise(metric ?? SeriesMetrics.Views);
        if (name is null)
        {
            return ApiResults.BadRequest("invalid_metric", $"Unknown metric '{metric}'. Use one of: {string.Join(", ", SeriesMetrics.All)}.");
        }

        if (!Periods.TryParse(period ?? "24h", out var window))
        {
            return ApiResults.BadRequest("invalid_period", $"Unknown period '{period}'. Use 1h, 24h, 7d or 30d.");
        }

        if (!await market.EntityExistsAsync(kind.Value, id, cancellationToken))
        {
            return ApiResults.NotFound("entity_not_found", $"No {kind.Value.ToWire()} with id {id}.");
        }

        var points = await market.GetSeriesAsync(kind.Value, id, name, window.Value, cancellationToken);
        return TypedResults.Ok(new TimeseriesResponse(points));
    }

    private static async Task<IResult> SearchCreators(string? search, IMarketQueries market, CancellationToken cancellationToken) =>
        TypedResults.Ok(await market.SearchCreatorsAsync(search, DefaultLimit, cancellationToken));

    private static async Task<IResult> GetCreator(string id, string? period, IMarketQueries market, CancellationToken cancellationToken)
    {
        if (!Periods.TryParse(period ?? "24h", out var window))
        {
            return ApiResults.BadRequest("invalid_period", $"Unknown period '{period}'. Use 1h, 24h, 7d or 30d.");
        }

        var creator = await market.FindCreatorAsync(id, cancellationToken);
        if (creator is null)
        {
            return ApiResults.NotFound("creator_not_found", $"No creator '{id}'.");
        }

        var kpis = await market.GetCreatorKpisAsync(creator.Id, window.Value, cancellationToken);
        return TypedResults.Ok(new CreatorDetail(creator.Id, creator.Handle, creator.DisplayName, creator.Platform, creator.TopicId, creator.Topic, creator.IsDemo, window.Value, kpis!));
    }

    private static async Task<IResult> GetCreatorVods(string id, IMarketQueries market, CancellationToken cancellationToken)
    {
        var creator = await market.FindCreatorAsync(id, cancellationToken);
        if (creator is null)
        {
            return ApiResults.NotFound("creator_not_found", $"No creator '{id}'.");
        }

        return TypedResults.Ok(await market.GetCreatorVodsAsync(creator.Id, cancellationToken));
    }
}

/// <summary><c>{points:[{t,v}]}</c>.</summary>
public sealed record TimeseriesResponse(IReadOnlyList<SeriesPoint> Points);

/// <summary><c>GET /api/creators/{id}</c>: the summary and the KPI strip for the period.</summary>
public sealed record CreatorDetail(int Id, string Handle, string DisplayName, Platform Platform, int TopicId, string Topic, bool IsDemo, Period Period, CreatorKpis Kpis);
