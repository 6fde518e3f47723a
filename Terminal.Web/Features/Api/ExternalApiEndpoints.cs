using Microsoft.EntityFrameworkCore;
using System.Globalization;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Data;

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

/// <summary>
/// The external API (SPEC §4): read-only, authenticated by <c>X-Api-Key</c> only, rate-limited per
/// key by plan.
/// </summary>
public static class ExternalApiEndpoints
{
    public const int MaxTrendLimit = 500;
    public const int MaxVods = 500;

    public static IEndpointRouteBuilder MapExternalApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ext-api/v1")
            .WithTags("External API")
            .RequireAuthorization(ApiKeyDefaults.Policy)
            .RequireRateLimiting(ExternalApiRateLimiting.Policy);

        group.MapGet("/trends", GetTrends)
            .WithName("ExtTrends")
            .WithSummary("Ranked trends (same body as /api/analytics/trends).")
            .WithDescription("type = clips|creators|topics (default creators), platform = all|tiktok|instagram|youtube (default all), " +
                "period = 1h|24h|7d|30d (default 24h), limit 1–500 (default 50). Ranked by heat. Needs X-Api-Key; 429 with Retry-After past the plan's per-minute limit.");
        group.MapGet("/vods", GetVods)
            .WithName("ExtVods")
            .WithSummary("VODs of monitored creators, newest first.")
            .WithDescription("creatorId filters to one creator (the id of /ext-api/v1/trends?type=creators items); since (ISO-8601 UTC) " +
                "returns VODs published at or after it. At most 500 rows. Needs X-Api-Key.");
        return app;
    }

    /// <summary>Parses the SPEC §4 trend parameters; throws 400 with a precise message.</summary>
    public static TrendQuery ParseTrendQuery(string? type, string? platform, string? period, int? limit)
    {
        if (!EntityKinds.TryParse(string.IsNullOrWhiteSpace(type) ? "creators" : type, out var kind))
        {
            throw TerminalException.BadRequest("invalid_type", "type must be clips, creators or topics.");
        }

        Platform? platformFilter = null;
        if (!string.IsNullOrWhiteSpace(platform) && !string.Equals(platform.Trim(), "all", StringComparison.OrdinalIgnoreCase))
        {
            if (!Platforms.TryParse(platform, out var parsed))
            {
                throw TerminalException.BadRequest("invalid_platform", "platform must be all, tiktok, instagram or youtube.");
            }

            platformFilter = parsed;
        }

        if (!Periods.TryParse(string.IsNullOrWhiteSpace(period) ? "24h" : period, out var parsedPeriod))
        {
            throw TerminalException.BadRequest("invalid_period", "period must be 1h, 24h, 7d or 30d.");
        }

        var take = limit ?? 50;
        if (take is < 1 or > MaxTrendLimit)
        {
            throw TerminalException.BadRequest("invalid_limit", $"limit must be between 1 and {MaxTrendLimit}.");
        }

        return new TrendQuery(kind.Value, platformFilter, parsedPeriod.Value, take);
    }

    private static Results<Ok<TrendResult>, JsonHttpResult<ApiErrorBody>> GetTrends(
        string? type, string? platform, string? period, string? limit, IServiceProvider services)
    {
        int? take = null;
        if (!string.IsNullOrWhiteSpace(limit))
        {
            take = int.TryParse(limit, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw TerminalException.BadRequest("invalid_limit", $"limit must be between 1 and {MaxTrendLimit}.");
        }

        var query = ParseTrendQuery(type, platform, period, take);
        var reader = services.GetService<ITrendReader>();
        if (reader is null)
        {
            return ApiResults.Error(StatusCodes.Status503ServiceUnavailable, "trends_unavailable", "The trend engine is not running on this server.");
        }

        return TypedResults.Ok(reader.Query(query));
    }

    private static async Task<Ok<List<ExternalVod>>> GetVods(
        string? creatorId, string? since, IDbContextFactory<TerminalDbContext> dbFactory, CancellationToken cancellationToken)
    {
        int? creator = null;
        if (!string.IsNullOrWhiteSpace(creatorId))
        {
            creator = int.TryParse(creatorId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
                ? parsed
                : throw TerminalException.BadRequest("invalid_creator_id", "creatorId must be a positive integer.");
        }

        DateTime? from = null;
        if (!string.IsNullOrWhiteSpace(since))
        {
            from = DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed.UtcDateTime
                : throw TerminalException.BadRequest("invalid_since", "since must be an ISO-8601 timestamp, e.g. 2026-11-24T00:00:00Z.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Vods.AsNoTracking();
        if (creator is { } c)
        {
            query = query.Where(v => v.CreatorId == c);
        }

        if (from is { } f)
        {
            query = query.Where(v => v.PublishedAt >= f);
        }

        var rows = await query.OrderByDescending(v => v.PublishedAt).Take(MaxVods)
            .Select(v => new ExternalVod(v.Id, v.CreatorId, v.Title, v.PublishedAt, v.DurationSeconds, v.Width, v.Height, v.Status, v.Error, v.CreatedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows);
    }
}
