using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Terminal.Core;
using Terminal.Core.Insights;
using Terminal.Core.Market;

namespace Terminal.Web.Features.Insights;

/// <summary>Body of <c>POST /api/insights/patterns</c>.</summary>
public sealed record PatternsRequestBody(string? Scope, string? Platform, string? Period, bool IncludeRows);

/// <summary>Body of <c>POST /api/insights/recommendations</c>.</summary>
public sealed record RecommendationsRequestBody(string? Scope, string? Platform);

/// <summary>SPEC §10 endpoints (signed-in users; the external API's two are in <see cref="Api.ExternalApiEndpoints"/>).</summary>
public static class InsightEndpoints
{
    public const Period DefaultPeriod = Period.Month;

    public static IEndpointRouteBuilder MapInsightEndpoints(this IEndpointRouteBuilder app)
    {
        var insights = app.MapGroup("/api/insights").WithTags("Insights");
        insights.MapGet("/outliers", GetOutliers)
            .Produces<IReadOnlyList<OutlierItem>>().Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .WithSummary("Posts that beat their creator's usual: views at 24 h ÷ the median of the creator's last 10 earlier posts at 24 h, with a bootstrap interval; highest ratio first. scope=market|mine, platform, period (default 30d).");
        insights.MapPost("/patterns", PostPatterns)
            .Produces<PatternsResponse>().Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .WithSummary("Feature groups vs the rest: ratio of medians of views at 24 h with bootstrap 95% interval, Benjamini–Hochberg q. includeRows adds the rows analysed; Accept: text/csv or ?format=csv exports those rows.");
        insights.MapGet("/best-times", GetBestTimes)
            .Produces<BestTimesResult>().Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .WithSummary("The caller's hour-of-week effects (Monday 00 h = 0, UTC) over own posts of the last 90 days, with intervals; 'not enough posts' when too few.");
        insights.MapPost("/recommendations", PostRecommendations)
            .Produces<RecommendationsResponse>().Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .WithSummary("Short recommendations that only restate computed facts; model = offline unless Terminal:AI:Endpoint is set.");
        app.MapGet("/api/opportunities", GetOpportunities).WithTags("Insights")
            .Produces<IReadOnlyList<OpportunityGap>>().Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .WithSummary("Opportunity gap per topic (SPEC §3) with empirical-Bayes shrinkage and an interval, highest gap first.");
        return app;
    }

    internal static async Task<Ok<IReadOnlyList<OutlierItem>>> GetOutliers([AsParameters] InsightQueryParameters query, ClaimsPrincipal principal, InsightsService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(await service.OutliersAsync(query.Parse(principal), cancellationToken));

    /// <summary>The market's outliers (the external API's <c>/outliers</c>: no scope, the key's owner never matters).</summary>
    internal static async Task<Ok<IReadOnlyList<OutlierItem>>> GetMarketOutliers([AsParameters] MarketInsightParameters query, InsightsService service, CancellationToken cancellationToken)
    {
        var (platform, period) = query.Parse();
        return TypedResults.Ok(await service.OutliersAsync(new InsightRequest(InsightScope.Market, platform, period, null), cancellationToken));
    }

    internal static async Task<Ok<IReadOnlyList<OpportunityGap>>> GetOpportunities([AsParameters] MarketInsightParameters query, InsightsService service, CancellationToken cancellationToken)
    {
        var (platform, period) = query.Parse();
        return TypedResults.Ok(await service.OpportunitiesAsync(platform, period, cancellationToken));
    }

    private static async Task<Results<Ok<PatternsResponse>, FileContentHttpResult>> PostPatterns(PatternsRequestBody? body, [AsParameters] PatternsFormatParameters format, ClaimsPrincipal principal, InsightsService service, CancellationToken cancellationToken)
    {
        var request = InsightQueryParameters.Parse(body?.Scope, body?.Platform, body?.Period, principal);
        var csv = format.Parse() == "csv";
        var result = await service.PatternsAsync(request, cancellationToken);
        if (csv)
        {
            return TypedResults.File(PatternRowsCsv(result), "text/csv", "insight-rows.csv");
        }

        return TypedResults.Ok(body?.IncludeRows == true ? result : result with { Rows = null });
    }

    private static async Task<Ok<BestTimesResult>> GetBestTimes([AsParameters] BestTimesParameters query, ClaimsPrincipal principal, InsightsService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(await service.BestTimesAsync(InsightQueryParameters.UserId(principal), query.Parse(), cancellationToken));

    private static async Task<Ok<RecommendationsResponse>> PostRecommendations(RecommendationsRequestBody? body, ClaimsPrincipal principal, RecommendationService service, CancellationToken cancellationToken)
    {
        var request = InsightQueryParameters.Parse(body?.Scope, body?.Platform, null, principal);
        return TypedResults.Ok(await service.RecommendAsync(request, cancellationToken));
    }

    /// <summary>The rows of a pattern run: entity, creator, views at the age, outcome and every feature — the same rows <c>includeRows</c> returns.</summary>
    public static byte[] PatternRowsCsv(PatternsResponse result)
    {
        string[] features = ["duration", "hourOfWeek", "weekday", "daypart", "titleLength", "titleHasNumber", "titleHasQuestion", "titleHasEmoji", "hashtags", "format", "platform"];
        return TerminalCsv.Write(["entity", "creatorId", "viewsAtAge", "outcome", .. features], result.Rows ?? [], (csv, row) =>
        {
            csv.WriteField(row.Entity);
            csv.WriteField(row.CreatorId.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(row.ViewsAtAge.ToString("R", CultureInfo.InvariantCulture));
            csv.WriteField(row.Outcome.ToString("R", CultureInfo.InvariantCulture));
            foreach (var f in features)
            {
                csv.WriteField(row.Features.GetValueOrDefault(f) ?? "");
            }
        });
    }
}

/// <summary>The <c>/api/insights/outliers</c> query string (and the same three fields of the POST bodies), parsed once by <see cref="Parse(ClaimsPrincipal)"/>.</summary>
public sealed class InsightQueryParameters
{
    /// <summary>market (default) or mine (the caller's linked accounts).</summary>
    [FromQuery(Name = "scope")] public string? Scope { get; init; }

    /// <summary>all (default), tiktok, instagram or youtube.</summary>
    [FromQuery(Name = "platform")] public string? Platform { get; init; }

    /// <summary>1h, 24h, 7d or 30d (default).</summary>
    [FromQuery(Name = "period")] public string? Period { get; init; }

    public InsightRequest Parse(ClaimsPrincipal principal) => Parse(Scope, Platform, Period, principal);

    /// <summary>Scope, platform and period as sent (query or body); <c>mine</c> names the signed-in caller.</summary>
    public static InsightRequest Parse(string? scope, string? platform, string? period, ClaimsPrincipal principal)
    {
        var parsedScope = scope is null ? InsightScope.Market
            : WireNames.TryParse(scope, out InsightScope? named) ? named.Value
            : throw TerminalException.BadRequest("invalid_scope", $"Unknown scope '{scope}'. Use {string.Join(" or ", WireNames.All<InsightScope>())}.");
        var (parsedPlatform, parsedPeriod) = MarketInsightParameters.Parse(platform, period);
        return new InsightRequest(parsedScope, parsedPlatform, parsedPeriod, parsedScope == InsightScope.Mine ? UserId(principal) : null);
    }

    internal static string UserId(ClaimsPrincipal principal) => LinkedAccounts.LinkedAccountEndpoints.UserId(principal);
}

/// <summary>Platform and period of a market-wide insight (<c>/api/opportunities</c>, the external API's <c>/opportunities</c> and <c>/outliers</c>), parsed once by <see cref="Parse()"/>.</summary>
public sealed class MarketInsightParameters
{
    /// <summary>all (default), tiktok, instagram or youtube.</summary>
    [FromQuery(Name = "platform")] public string? Platform { get; init; }

    /// <summary>1h, 24h, 7d or 30d (default).</summary>
    [FromQuery(Name = "period")] public string? Period { get; init; }

    public (Platform? Platform, Period Period) Parse() => Parse(Platform, Period);

    internal static (Platform? Platform, Period Period) Parse(string? platform, string? period) =>
        (QueryParameters.ParsePlatformOrAll(platform), QueryParameters.ParsePeriod(period, InsightEndpoints.DefaultPeriod));
}

/// <summary>The <c>/api/insights/best-times</c> query string, parsed once by <see cref="Parse"/>.</summary>
public sealed class BestTimesParameters
{
    /// <summary>all (default), tiktok, instagram or youtube.</summary>
    [FromQuery(Name = "platform")] public string? Platform { get; init; }

    public Platform? Parse() => QueryParameters.ParsePlatformOrAll(Platform);
}

/// <summary>The export choice of <c>POST /api/insights/patterns</c>: <c>?format=json|csv</c>, or <c>Accept: text/csv</c> when no format is given.</summary>
public sealed class PatternsFormatParameters
{
    /// <summary>json (default) or csv.</summary>
    [FromQuery(Name = "format")] public string? Format { get; init; }

    /// <summary>The request's Accept header; <c>text/csv</c> asks for the CSV export.</summary>
    [FromHeader(Name = "Accept")] public string? Accept { get; init; }

    public string Parse() => Format is null && Accept is not null && Accept.Contains("text/csv", StringComparison.OrdinalIgnoreCase)
        ? "csv"
        : QueryParameters.ParseFormat(Format, "json", "csv");
}
