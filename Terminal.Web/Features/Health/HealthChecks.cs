using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Terminal.Core.Market;
using Terminal.Core.Health;

namespace Terminal.Web.Features.Health;

/// <summary>The database answers a query.</summary>
internal sealed class DatabaseHealthCheck(IDatabaseStatus database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var status = await database.CheckAsync(cancellationToken);
            return status.PendingMigrations == 0
                ? HealthCheckResult.Healthy(status.Provider)
                : HealthCheckResult.Unhealthy($"{status.PendingMigrations} migration(s) not applied.");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The database did not answer.", ex);
        }
    }
}

/// <summary>
/// The market data source is live (for the demo feed: its 30-day backfill is in). A live feed that
/// has not ticked for <see cref="FeedFreshnessRules.StaleAfter"/> is <c>degraded</c> (HTTP 200): the
/// process serves, but the numbers on screen are no longer moving.
/// </summary>
internal sealed class MarketHealthCheck(IMarketStatus status, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.State switch
        {
            FeedState.Live => FeedFreshnessRules.Of(status, time) switch
            {
                FeedFreshness.Stopped => HealthCheckResult.Degraded("the market feed stopped: no tick for over a minute", data: Data(status)),
                FeedFreshness.Stale => HealthCheckResult.Degraded("the market feed is stale: no tick for over 10 s", data: Data(status)),
                _ => HealthCheckResult.Healthy(status.IsDemo ? "DEMO feed live" : "live", Data(status)),
            },
            FeedState.Off => HealthCheckResult.Healthy("no built-in feed (demo feed disabled)", Data(status)),
            FeedState.Backfilling => HealthCheckResult.Unhealthy("backfilling history", data: Data(status)),
            _ => HealthCheckResult.Unhealthy("the market feed faulted", data: Data(status)),
        });

    private Dictionary<string, object> Data(IMarketStatus status) => new()
    {
        ["state"] = status.State.ToString().ToLowerInvariant(),
        ["freshness"] = FeedFreshnessRules.Of(status, time).ToString().ToLowerInvariant(),
        ["demo"] = status.IsDemo,
        ["lastTickAt"] = status.LastTickAt?.ToString("O") ?? "",
    };
}

internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapTerminalHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = WriteAsync,
        }).AllowAnonymous();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        if (!context.User.IsInRole(Terminal.Core.Accounts.Roles.Admin))
        {
            // Anonymous callers (load balancers, strangers) get the status only; the details are for admins.
            return context.Response.WriteAsync(JsonSerializer.Serialize(new { status = report.Status.ToString().ToLowerInvariant() }, JsonOptions));
        }

        var body = new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            totalDurationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new
                {
                    status = e.Value.Status.ToString().ToLowerInvariant(),
                    description = e.Value.Description,
                    durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                    data = e.Value.Data,
                }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonOptions));
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
