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
        creators.MapGet("", SearchCreators).Produces<IReadOnlyList<CreatorSummary>>().Produces<ApiErrorBody>(StatusCodes.Status400BadRequest).WithSummary("Monitored creators matching `search` (handle or name), most followed first; top `limit` (default 50, at most 500).");
        creators.MapGet("/{id}", GetCreator).Produces<CreatorDetail>().Produces<ApiErrorBody>(StatusCodes.Status400BadRequest).Produces<ApiErrorBody>(StatusCodes.Status404NotFound).WithSummary("A creator (by id or handle) with its KPIs for `period` (default 24h).");
        creators.MapGet("/{id}/vods", GetCreatorVods).Produces<IReadOnlyList<VodListItem>>().Produces<ApiErrorBody>(StatusCodes.Status404NotFound).WithSummary("The creator's VODs, newest first.");
        return app;
    }

    private static Ok<TrendResult> GetTrends([AsParameters] TrendQueryParameters query, ITrendReader trends) =>
        TypedResults.Ok(trends.Query(query.Parse()));

    private static async Task<Ok<TimeseriesResponse>> GetTimeseries([AsParameters] TimeseriesParameters query, IMarketQueries market, CancellationToken cancellationToken)
    {
        var (kind, id, metric, window) = query.Parse();
        if (!await market.EntityExistsAsync(kind, id, cancellationToken))
        {
            throw TerminalException.NotFound("entity_not_found", $"No {kind.ToWire()} with id {id}.");
        }

        var points = await market.GetSeriesAsync(kind, id, metric, window, cancellationToken);
        return TypedResults.Ok(new TimeseriesResponse(points));
    }

    private static async Task<Ok<IReadOnlyList<CreatorSummary>>> SearchCreators([AsParameters] CreatorSearchParameters query, IMarketQueries market, CancellationToken cancellationToken)
    {
        var (search, limit) = query.Parse();
        return TypedResults.Ok(await market.SearchCreatorsAsync(search, limit, cancellationToken));
    }

    private static async Task<Ok<CreatorDetail>> GetCreator(string id, [AsParameters] CreatorQueryParameters query, IMarketQueries market, CancellationToken cancellationToken)
    {
        var window = query.Parse();
        var creator = await FindCreatorAsync(id, market, cancellationToken);
        var kpis = await market.GetCreatorKpisAsync(creator.Id, window, cancellationToken);
        return TypedResults.Ok(new CreatorDetail(creator.Id, creator.Handle, creator.DisplayName, creator.Platform, creator.TopicId, creator.Topic, creator.IsDemo, window, kpis!));
    }

    private static async Task<Ok<IReadOnlyList<VodListItem>>> GetCreatorVods(string id, IMarketQueries market, CancellationToken cancellationToken)
    {
        var creator = await FindCreatorAsync(id, market, cancellationToken);
        return TypedResults.Ok(await market.GetCreatorVodsAsync(creator.Id, cancellationToken));
    }

    private static async Task<CreatorSummary> FindCreatorAsync(string id, IMarketQueries market, CancellationToken cancellationToken) =>
        await market.FindCreatorAsync(id, cancellationToken)
        ?? throw TerminalException.NotFound("creator_not_found", $"No creator '{id}'.");
}

/// <summary><c>{points:[{t,v}]}</c>.</summary>
public sealed record TimeseriesResponse(IReadOnlyList<SeriesPoint> Points);

/// <summary><c>GET /api/creators/{id}</c>: the summary and the KPI strip for the period.</summary>
public sealed record CreatorDetail(int Id, string Handle, string DisplayName, Platform Platform, int TopicId, string Topic, bool IsDemo, Period Period, CreatorKpis Kpis);
