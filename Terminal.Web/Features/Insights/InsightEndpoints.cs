using System.Globalization;
using System.Security.Claims;
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

    internal static async Task<Ok<IReadOnlyList<OutlierItem>>> GetOutliers(string? scope, string? platform, string? period, ClaimsPrincipal principal, InsightsService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(await service.OutliersAsync(ParseRequest(scope, platform, period, principal), cancellationToken));

    internal static async Task<Ok<IReadOnlyList<OpportunityGap>>> GetOpportunities(string? platform, string? period, InsightsService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(await service.OpportunitiesAsync(ParsePlatform(platform), ParsePeriod(period), cancellationToken));

    private static async Task<Results<Ok<PatternsResponse>, FileContentHttpResult>> PostPatterns(PatternsRequestBody? body, string? format, HttpRequest http, ClaimsPrincipal principal, InsightsService service, CancellationToken cancellationToken)
    {
        var request = ParseRequest(body?.Scope, body?.Platform, body?.Period, principal);
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
            || http.Headers.Accept.Any(a => a is not null && a.Contains("text/csv", StringComparison.OrdinalIgnoreCase));
        if (format is not null && !csv && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            throw TerminalException.BadRequest("invalid_format", $"Unknown format '{format}'. Use json or csv.");
        }

        var result = await service.PatternsAsync(request, cancellationToken);
        if (csv)
        {
            return TypedResults.File(PatternRowsCsv(result), "text/csv", "insight-rows.csv");
        }

        return TypedResults.Ok(body?.IncludeRows == true ? result : result with { Rows = null });
    }

    private static async Task<Ok<BestTimesResult>> GetBestTimes(string? platform, ClaimsPrincipal principal, InsightsService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(await service.BestTimesAsync(UserId(principal), ParsePlatform(platform), cancellationToken));

    private static async Task<Ok<RecommendationsResponse>> PostRecommendations(RecommendationsRequestBody? body, ClaimsPrincipal principal, RecommendationService service, CancellationToken cancellationToken)
    {
        var request = ParseRequest(body?.Scope, body?.Platform, null, principal);
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

    internal static InsightRequest ParseRequest(string? scope, string? platform, string? period, ClaimsPrincipal principal)
    {
        var parsedScope = (scope ?? "market").Trim().ToLowerInvariant() switch
        {
            "market" => InsightScope.Market,
            "mine" => InsightScope.Mine,
            _ => throw TerminalException.BadRequest("invalid_scope", $"Unknown scope '{scope}'. Use market or mine."),
        };
        return new InsightRequest(parsedScope, ParsePlatform(platform), ParsePeriod(period), parsedScope == InsightScope.Mine ? UserId(principal) : null);
    }

    internal static Platform? ParsePlatform(string? platform) => QueryParameters.ParsePlatformOrAll(platform);

    internal static Period ParsePeriod(string? period) => QueryParameters.ParsePeriod(period, DefaultPeriod);

    private static string UserId(ClaimsPrincipal principal) =>
        principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new TerminalException(ErrorKind.Unauthorized, "unauthorized", "Sign in first.");
}
