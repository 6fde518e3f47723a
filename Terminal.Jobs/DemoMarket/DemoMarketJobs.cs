using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;
using Terminal.Jobs.Scheduling;

namespace Terminal.Jobs.DemoMarket;

/// <summary>Services and Quartz jobs for the built-in demo market (backfill and live movement).</summary>
public static class DemoMarketJobs
{
    public static IQuartzBuilder AddDemoMarketJobs(this IQuartzBuilder quartz, IConfiguration configuration)
    {
        var services = quartz.Services;
        services.AddOptions<DemoFeedOptions>().BindConfiguration(DemoFeedOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<DemoMarketState>();
        // Always registered: it also rebuilds the trend engine from the database when the demo is off.
        services.AddHostedService<MarketBootstrapper>();

        // Registered unconditionally: configuration read here misses overrides applied later (test hosts),
        // so the job itself checks Enabled/Live at run time and does nothing when the demo is off.
        var options = configuration.GetSection(DemoFeedOptions.Section).Get<DemoFeedOptions>() ?? new DemoFeedOptions();
        {
            quartz.AddJob<DemoMarketTickJob>(j => j.WithIdentity(DemoMarketTickJob.Key).WithDescription("Moves the DEMO market (new clips, fresh readings)"));
            quartz.AddStandingTrigger(t => t
                .ForJob(DemoMarketTickJob.Key)
                .WithIdentity("demo-market-tick-trigger", "market")
                .StartAt(DateTimeOffset.UtcNow.AddSeconds(1))
                .WithSimpleSchedule(s => s
                    .WithInterval(TimeSpan.FromMilliseconds(options.TickIntervalMilliseconds))
                    .RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        }

        return quartz;
    }
}
