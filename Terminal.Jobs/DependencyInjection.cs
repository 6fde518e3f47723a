using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;
using Terminal.Jobs.Admin;
using Terminal.Jobs.Clips;
using Terminal.Jobs.DemoMarket;
using Terminal.Jobs.LinkedAccounts;
using Terminal.Jobs.Media;
using Terminal.Jobs.MarketHistory;
using Terminal.Jobs.RealMarket;
using Terminal.Jobs.Scheduling;

namespace Terminal.Jobs;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the Quartz scheduler (in-memory by default; clustered AdoJobStore on SQL Server in
    /// production). Features add their jobs with <c>services.Configure&lt;QuartzOptions&gt;(o => o.AddJob…/AddTrigger…)</c>
    /// from their own registration method, called here.
    /// </summary>
    public static IHostApplicationBuilder AddTerminalJobs(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FfmpegOptions>().BindConfiguration(FfmpegOptions.Section);
        var scheduler = configuration.GetSection(SchedulerOptions.Section).Get<SchedulerOptions>() ?? new SchedulerOptions();

        builder.AddQuartz(q =>
        {
            q.UseDefaultThreadPool(scheduler.MaxConcurrency);
            if (scheduler.Store == SchedulerStore.Memory)
            {
                q.UseInMemoryStore(_ => { });
            }
            else
            {
                // Clustered: every node has its own instance id (Terminal:Scheduler:InstanceId, AUTO by
                // default); a node that stops checking in has its in-flight jobs recovered by another.
                q.ConfigureScheduler(o =>
                {
                    if (string.Equals(scheduler.InstanceId, "AUTO", StringComparison.OrdinalIgnoreCase))
                    {
                        o.GenerateInstanceId = true;
                    }
                    else
                    {
                        o.InstanceId = scheduler.InstanceId;
                    }
                });
                q.UsePersistentStore(s =>
                {
                    var connectionString = configuration.GetConnectionString("Terminal")
                        ?? throw new InvalidOperationException("ConnectionStrings:Terminal is required for the SqlServer scheduler store.");
                    s.UseSqlServer(Microsoft.Data.SqlClient.SqlClientFactory.Instance, connectionString);
                    s.UseClustering(c =>
                    {
                        c.Enabled = true;
                        c.CheckinInterval = TimeSpan.FromSeconds(scheduler.ClusterCheckinSeconds);
                    });
                    s.UseExecutionHistory();
                });
            }

            // Each feature registers its services (through q.Services) and its jobs here.
            q.AddDemoMarketJobs(configuration);
            q.AddClipJobs(configuration);
            q.AddLinkedAccountJobs(configuration);
            q.AddAdminJobs(configuration);
            q.AddRealMarketJobs(configuration);
            q.AddMarketHistoryJobs(configuration);

            // The scheduler's own pulse (SchedulerHealthCheck): stale when every thread is held.
            q.AddJob<SchedulerHeartbeatJob>(j => j.WithIdentity(SchedulerHeartbeatJob.Key).StoreDurably().WithDescription("Records that the scheduler fires jobs (/health)"));
            q.AddTrigger(t => t.ForJob(SchedulerHeartbeatJob.Key).WithIdentity("scheduler-heartbeat-trigger", SchedulerHeartbeatJob.Key.Group)
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(Math.Max(1, scheduler.HeartbeatSeconds))).RepeatForever()));
        });
        builder.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddSingleton<SchedulerHeartbeat>();
        services.AddSingleton<SchedulerHealthCheck>();
        services.AddSingleton<FfmpegHealthCheck>();
        return builder;
    }
}
