using Microsoft.Extensions.Logging;
using Quartz;
using Terminal.Core.Market;

namespace Terminal.Jobs.MarketHistory;

/// <summary>
/// Thins old snapshot history (<see cref="HistoryThinning"/>: hourly after 7 days, daily after 30), so
/// the table — and what the trend engine loads at a restart — stops growing with the age of the market.
/// Works oldest-first in slices of one bucket (a day where daily thinning applies, an hour elsewhere) and
/// remembers how far it got, so an hourly run only touches the hour and the day that newly crossed a
/// threshold; the first run after a start walks the whole old history once (cheap where it is already thin).
/// </summary>
[DisallowConcurrentExecution]
public sealed class ThinMarketHistoryJob(IMarketHistory history, MarketHistoryProgress progress, TimeProvider time, ILogger<ThinMarketHistoryJob> logger) : IJob
{
    public static readonly JobKey Key = new("market-history-thinning", "market");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var result = await RunAsync(cancellationToken);
        context.Result = $"{result.Deleted} of {result.Read} old snapshots thinned out";
    }

    public async Task<ThinningResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (await history.OldestSnapshotAtAsync(cancellationToken) is not { } oldest)
        {
            return default;
        }

        const long day = TimeSpan.TicksPerDay;
        const long hour = TimeSpan.TicksPerHour;
        // Bucket starts whose whole bucket is past the threshold: [.., dailyEdge) by day, [dailyEdge, hourlyEdge) by hour.
        var dailyEdge = HistoryThinning.Floor((now - HistoryThinning.DailyAfter).Ticks, day);
        var hourlyEdge = HistoryThinning.Floor((now - HistoryThinning.HourlyAfter).Ticks, hour);
        var total = default(ThinningResult);

        for (var d = Math.Max(HistoryThinning.Floor(oldest.Ticks, day), progress.DailyThroughTicks); d < dailyEdge; d += day)
        {
            total += await history.ThinAsync(Utc(d), Utc(d + day), now, cancellationToken);
            progress.DailyThroughTicks = d + day;
        }

        for (var h = Math.Max(Math.Max(dailyEdge, HistoryThinning.Floor(oldest.Ticks, hour)), progress.HourlyThroughTicks); h < hourlyEdge; h += hour)
        {
            total += await history.ThinAsync(Utc(h), Utc(h + hour), now, cancellationToken);
            progress.HourlyThroughTicks = h + hour;
        }

        if (total.Deleted > 0)
        {
            logger.LogInformation("Market history thinned: {Deleted} of {Read} old snapshots deleted", total.Deleted, total.Read);
        }

        return total;
    }

    private static DateTime Utc(long ticks) => new(ticks, DateTimeKind.Utc);
}

/// <summary>How far <see cref="ThinMarketHistoryJob"/> has thinned, per resolution (per process: a restart walks the history once more).</summary>
public sealed class MarketHistoryProgress
{
    public long DailyThroughTicks { get; set; }

    public long HourlyThroughTicks { get; set; }
}
