using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;
using Terminal.Jobs.Scheduling;

namespace Terminal.Jobs.MarketHistory;

/// <summary>The hourly thinning of old market snapshots.</summary>
public static class MarketHistoryJobs
{
    public static IQuartzBuilder AddMarketHistoryJobs(this IQuartzBuilder quartz, IConfiguration configuration)
    {
        quartz.Services.TryAddSingleton<MarketHistoryProgress>();
        quartz.AddJob<ThinMarketHistoryJob>(j => j.WithIdentity(ThinMarketHistoryJob.Key).StoreDurably()
            .WithDescription("Thins old market snapshots (hourly after 7 days, daily after 30)"));
        quartz.AddStandingTrigger(t => t.ForJob(ThinMarketHistoryJob.Key).WithIdentity("market-history-thinning-trigger", "market")
            // Not at once: the first minutes of a start belong to the backfill and the engine's rebuild.
            .StartAt(DateTimeOffset.UtcNow.AddMinutes(5))
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromHours(1)).RepeatForever()
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        return quartz;
    }
}
