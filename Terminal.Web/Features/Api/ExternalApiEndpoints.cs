using Microsoft.AspNetCore.Mvc;
using Terminal.Core.Clips;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Web.Features.Market;

namespace Terminal.Web.Features.Api;

/// <summary>A VOD as the external API returns it.</summary>
public sealed record ExternalVod(
    Guid Id,
    int CreatorId,
    string Title,
    DateTime PublishedAt,
    double? DurationSeconds,
    int? Width,
    int? Height,
    VodStatus Status,
    string? Error,
    DateTime CreatedAt);

/// <summary>The <c>/ext-api/v1/vods</c> query string, bound as sent and parsed once by <see cref="Parse"/>.</summary>
public sealed class VodQueryParameters
{
    /// <summary>Optional creator id (the id of <c>/ext-api/v1/trends?type=creators</c> items).</summary>
    [FromQuery(Name = "creatorId")] public string? CreatorId { get; init; }

    /// <summary>Optional ISO-8601 UTC time: VODs published at or after it.</summary>
    [FromQuery(Name = "since")] public string? Since { get; init; }

    public (int? CreatorId, DateTime? Since) Parse() =>
        (QueryParameters.ParseCreatorId(CreatorId), QueryParameters.ParseSince(Since));
}

/// <summary>
/// The external API (SPEC §4): read-only, authenticated by <c>X-Api-Key</c> only, rate-limited per
/// user by plan, with <c>X-RateLimit-*</c> headers on every answer.
/// </summary>
public static class ExternalApiEndpoints
{
    public const int MaxVods = 500;

    public static IEndpointRouteBuilder MapExternalApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ext-api/v1")
            .WithTags("External API")
            .RequireAuthorization(ApiKeyDefaults.Policy)
            .RequireExternalApiQuota();

        group.MapGet("/trends", GetTrends)
            .WithName("ExtTrends")
            .Produces<TrendResult>()
            .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ApiErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ApiErrorBody>(StatusCodes.Status429TooManyRequests)
            .WithSummary("Ranked trends (same body as /api/analytics/trends).")
            .WithDescription("type = clips|creators|topics (default creators), platform = all|tiktok|instagram|youtube (default all), " +
                "period = 1h|24h|7d|30d (default 24h), limit 1–500 (default 50). Ranked by heat. Needs X-Api-Key; 429 with Retry-After past the plan's per-minute limit (shared by all of a user's keys); every answer carries X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset (Unix seconds).");
        group.MapGet("/vods", GetVods)
            .WithName("ExtVods")
            .Produces<List<ExternalVod>>(StatusCodes.Status200OK)
            .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ApiErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ApiErrorBody>(StatusCodes.Status429TooManyRequests)
            .WithSummary("VODs of monitored creators, newest first.")
            .WithDescription("creatorId filters to one creator (the id of /ext-api/v1/trends?type=creators items); since (ISO-8601 UTC) " +
                "returns VODs published at or after it. At most 500 rows. The body is a bare JSON array of VODs (SPEC §4: lists are bare arrays), " +
                "unlike trends, whose body is {data, generatedAt}. Needs X-Api-Key; 429 with Retry-After past the plan's per-minute limit (shared by all of a user's keys); every answer carries X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset (Unix seconds).");
        group.MapGet("/opportunities", Insights.InsightEndpoints.GetOpportunities)
            .WithName("ExtOpportunities")
            .Produces<List<Terminal.Core.Insights.OpportunityGap>>()
            .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ApiErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ApiErrorBody>(StatusCodes.Status429TooManyRequests)
            .WithSummary("Opportunity gap per topic (same body as /api/opportunities): a bare array, highest gap first.")
            .WithDescription("platform = all|tiktok|instagram|youtube (default all), period = 1h|24h|7d|30d (default 30d). Needs X-Api-Key; 429 with Retry-After past the plan's per-minute limit.");
        group.MapGet("/outliers", Insights.InsightEndpoints.GetMarketOutliers)
            .WithName("ExtOutliers")
            .Produces<List<Insights.OutlierItem>>()
            .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ApiErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ApiErrorBody>(StatusCodes.Status429TooManyRequests)
            .WithSummary("Market outliers (same body as /api/insights/outliers?scope=market): a bare array, highest ratio first.")
            .WithDescription("platform = all|tiktok|instagram|youtube (default all), period (default 30d). Needs X-Api-Key; 429 with Retry-After past the plan's per-minute limit.");
        return app;
    }

    /// <summary>
    /// Same parameters, defaults, errors and body as <c>/api/analytics/trends</c> (the market feature's
    /// parser and the same <see cref="ITrendReader"/>), so programs and the UI see the same numbers.
    /// </summary>
    private static Ok<TrendResult> GetTrends([AsParameters] TrendQueryParameters query, ITrendReader trends) =>
        TypedResults.Ok(trends.Query(query.Parse()));

    private static async Task<Ok<List<ExternalVod>>> GetVods([AsParameters] VodQueryParameters query, IVods vods, CancellationToken cancellationToken)
    {
        var (creator, from) = query.Parse();
        var rows = (await vods.ListAsync(creator, from, MaxVods, cancellationToken))
            .Select(v => new ExternalVod(v.Id, v.CreatorId, v.Title, v.PublishedAt, v.DurationSeconds, v.Width, v.Height, v.Status, v.Error, v.CreatedAt))
            .ToList();
        return TypedResults.Ok(rows);
    }
}
