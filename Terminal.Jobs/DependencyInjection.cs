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
    /// production, or on the shared SQLite file with <c>Terminal:Scheduler:Store=Sqlite</c>). Features add their jobs with <c>services.Configure&lt;QuartzOptions&gt;(o => o.AddJob…/AddTrigger…)</c>
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
                // Clustered: every node's scheduler has the same name and its own instance id; a trigger
                // is acquired by one node (a conditional update of its row), and a node that stops checking
                // in has its in-flight jobs recovered by another.
                q.ConfigureScheduler(o =>
                {
                    o.InstanceName = "clip-terminal";
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
                    if (scheduler.Store == SchedulerStore.SqlServer)
                    {
                        var connectionString = configuration.GetConnectionString("Terminal")
                            ?? throw new InvalidOperationException("ConnectionStrings:Terminal is required for the SqlServer scheduler store.");
                        s.UseSqlServer(Microsoft.Data.SqlClient.SqlClientFactory.Instance, connectionString);
                    }
                    else
                    {
                        // The terminal's own SQLite file: its QRTZ_ tables are created when missing (CREATE
                        // TABLE IF NOT EXISTS; never altered). REVIEW: Quartz swaps in an in-process lock for
                        // SQLite, so across processes only SQLite's single writer and Quartz's conditional
                        // WAITING→ACQUIRED update keep a trigger to one node — the two-process test checks it.
                        s.UseSqlite(Microsoft.Data.Sqlite.SqliteFactory.Instance, SqliteSchedulerConnectionString(configuration));
                        s.ProvisionSchema();
                    }

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

    /// <summary>The SQLite file the clustered scheduler shares with the app: <c>ConnectionStrings:Terminal</c> or the data directory's <c>terminal.db</c>.</summary>
    internal static string SqliteSchedulerConnectionString(IConfiguration configuration)
    {
        var configured = configuration.GetConnectionString("Terminal");
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured)
            ? $"Data Source={Path.Combine(Terminal.Data.DependencyInjection.DataDirectory(configuration), "terminal.db")}"
            : configured)
        {
            // Two nodes write the QRTZ_ tables of one file: wait for the other's write instead of failing.
            DefaultTimeout = 30,
            Pooling = true,
        };
        return builder.ToString();
    }
}
