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
                    if (scheduler.Store == SchedulerStore.Sqlite)
                    {
                        UseClusteredSqlite(s, configuration, scheduler);
                    }
                    else
                    {
                        var connectionString = configuration.GetConnectionString("Terminal")
                            ?? throw new InvalidOperationException("ConnectionStrings:Terminal is required for the SqlServer scheduler store.");
                        s.UseSqlServer(Microsoft.Data.SqlClient.SqlClientFactory.Instance, connectionString);
                    }

                    s.UseClustering(c =>
                    {
                        c.Enabled = true;
                        c.CheckinInterval = TimeSpan.FromSeconds(scheduler.ClusterCheckinSeconds);
                    });
                    s.UseExecutionHistory();
                });

                // A starting node leaves a stored trigger with the same schedule as it is, instead of replacing it under
                // the reservation another node holds on it (ClusteredScheduleSync, registered below, reconciles changes).
                services.Configure<QuartzOptions>(o => o.Scheduling.IgnoreDuplicates = true);
            }

            // Each feature registers its services (through q.Services) and its jobs here.
            q.AddClipJobs(configuration);
            q.AddLinkedAccountJobs(configuration);
            q.AddAdminJobs(configuration);
            q.AddMarketHistoryJobs(configuration);

        });

        // The scheduler's own pulse (SchedulerHealthCheck): stale when every thread is held. Per node by
        // nature, so on the node's own scheduler when the main one is clustered.
        builder.AddPerNodeJobs(q =>
        {
            q.AddDemoMarketJobs(configuration);
            q.AddRealMarketJobs(configuration);
            q.AddJob<SchedulerHeartbeatJob>(j => j.WithIdentity(SchedulerHeartbeatJob.Key).StoreDurably().WithDescription("Records that the scheduler fires jobs (/health)"));
            q.AddStandingTrigger(t => t.ForJob(SchedulerHeartbeatJob.Key).WithIdentity("scheduler-heartbeat-trigger", SchedulerHeartbeatJob.Key.Group)
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(Math.Max(1, scheduler.HeartbeatSeconds))).RepeatForever()));
        });
        builder.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        if (scheduler.IsClustered)
        {
            services.AddHostedService<ClusteredScheduleSync>();
        }

        services.AddHostedService<SchedulerShutdown>(); // bounds that wait by the host's shutdown timeout (see the type)
        services.AddSingleton<SchedulerHeartbeat>();
        services.AddSingleton<SchedulerHealthCheck>();
        services.AddSingleton<FfmpegHealthCheck>();
        return builder;
    }

    /// <summary>
    /// The clustered AdoJobStore on <c>{data}/scheduler.db</c>, a file of its own so that scheduler
    /// transactions never wait behind the application's writes (and the reverse). The schema is created
    /// from Quartz's own SQLite script when missing (idempotent; a second node finds it there).
    /// </summary>
    private static void UseClusteredSqlite(IPersistentStoreBuilder store, IConfiguration configuration, SchedulerOptions scheduler)
    {
        var connectionString = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(Terminal.Data.DependencyInjection.DataDirectory(configuration), "scheduler.db"),
            Pooling = true,
            // Microsoft.Data.Sqlite retries a busy database for the command timeout; BEGIN IMMEDIATE
            // (its default for a transaction) then waits for the other node's transaction to end.
            DefaultTimeout = scheduler.SqliteBusyTimeoutSeconds,
        }.ToString();

        // The delegate first: the first registration of a part wins, so UseSqlite below only adds the
        // connection provider, not its SQLiteDelegate (which would refuse the cluster).
        store.UseDriverDelegate<ClusteredSqliteDelegate>();
        store.UseSqlite(Microsoft.Data.Sqlite.SqliteFactory.Instance, connectionString);
        store.UseLockHandler<Quartz.Impl.AdoJobStore.UpdateRowLockHandler>();
        // Every firing round under the TRIGGER_ACCESS row lock, as Quartz does on SQLite by itself: it knows SQLite by its
        // delegate, which ClusteredSqliteDelegate replaces, and would otherwise claim triggers lock-free (compare-and-swap),
        // a path made for servers with row versioning, not for a file two processes share.
        store.ConfigureStore(o =>
        {
            o.AcquireTriggersWithinLock = true;
            o.LockFreeFiringRounds = false;
        });
        store.ProvisionSchema();
    }
}
