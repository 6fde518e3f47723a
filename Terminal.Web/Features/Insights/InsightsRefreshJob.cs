using Quartz;
using Terminal.Core.Insights;
using Terminal.Core.Market;

namespace Terminal.Web.Features.Insights;

/// <summary>Progress of the market pattern refresh, for ADMIN and tests.</summary>
public sealed class InsightsRefreshProgress
{
    private int _done;

    public int Total { get; private set; }

    public int Done => Volatile.Read(ref _done);

    public DateTime? LastFinishedAt { get; private set; }

    public TimeSpan? LastDuration { get; private set; }

    internal void Start(int total)
    {
        Total = total;
        Volatile.Write(ref _done, 0);
    }

    internal void Step() => Interlocked.Increment(ref _done);

    internal void Finish(DateTime at, TimeSpan duration)
    {
        LastFinishedAt = at;
        LastDuration = duration;
    }
}

/// <summary>
/// Keeps the market's pattern runs and outliers computed as data moves: every minute it computes each
/// market request (every platform × 7d/30d) whose cached result has expired, so users rarely wait for a
/// run. It never replaces a live cached body (the same request within 60 s keeps its body).
/// </summary>
[DisallowConcurrentExecution]
public sealed class InsightsRefreshJob(InsightsService insights, IPostFeatureBackfill backfill, InsightsRefreshProgress progress, TimeProvider clock, ILogger<InsightsRefreshJob> logger) : IJob
{
    public static readonly JobKey Key = new("insights-refresh", "insights");

    /// <summary>Rows of each kind whose stored features one run fills in (rows stored before features were, or under an older definition).</summary>
    public const int BackfillBatch = 5_000;

    public static readonly IReadOnlyList<InsightRequest> MarketRequests =
        [.. new Platform?[] { null, Platform.TikTok, Platform.Instagram, Platform.YouTube }
            .SelectMany(p => new[] { Period.Week, Period.Month }.Select(period => new InsightRequest(InsightScope.Market, p, period, null)))];

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var backfilled = await backfill.RunAsync(BackfillBatch, cancellationToken);
        if (backfilled > 0)
        {
            logger.LogInformation("Stored the features of {Rows} clips and posts written before they were stored", backfilled);
        }

        progress.Start(MarketRequests.Count * 2);
        foreach (var request in MarketRequests)
        {
            await insights.PatternsAsync(request, cancellationToken);
            progress.Step();
            await insights.OutliersAsync(request, cancellationToken);
            progress.Step();
        }

        var elapsed = clock.GetElapsedTime(started);
        progress.Finish(clock.GetUtcNow().UtcDateTime, elapsed);
        logger.LogInformation("Insights refresh computed {Requests} market requests in {Elapsed} ms", MarketRequests.Count, (int)elapsed.TotalMilliseconds);
    }
}
