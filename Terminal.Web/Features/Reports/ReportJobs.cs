using Quartz;
using Terminal.Core.Common;
using Terminal.Core.Reports;

namespace Terminal.Web.Features.Reports;

/// <summary>Produces one queued report: gathers its data, renders the PDF, stores both files, reports progress.</summary>
public sealed class ProduceReportJob(IReportStore store, ReportBuilder builder, ReportFiles files, ReportProgressFeed feed, ILogger<ProduceReportJob> logger) : IJob
{
    public static readonly JobKey Key = new("produce-report", "reports");
    public const string ReportIdKey = "reportId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(context.MergedJobDataMap.GetString(ReportIdKey), out var id) || await store.GetAsync(id, cancellationToken) is not { } report)
        {
            return;
        }

        if (report.Status is ReportStatus.Ready)
        {
            return;
        }

        async Task Step(int progress)
        {
            await store.UpdateProgressAsync(id, ReportStatus.Processing, progress, cancellationToken);
            await feed.NotifyAsync(report.UserId, new ReportProgress(id, ReportStatus.Processing, progress, null), cancellationToken);
        }

        try
        {
            await Step(5);
            var document = await builder.BuildAsync(report, Step, cancellationToken);
            var pdf = ReportPdf.Render(document);
            await Step(90);
            var (path, size) = await files.SaveAsync(document, pdf, cancellationToken);
            await store.CompleteAsync(id, path, size, cancellationToken);
            await feed.NotifyAsync(report.UserId, new ReportProgress(id, ReportStatus.Ready, 100, null), cancellationToken);
            logger.LogInformation("Report {ReportId} ({Kind}, {Period}) produced: {Bytes} bytes", id, report.Kind, report.Period, size);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var reason = e is TerminalException t ? t.Message : "the report could not be produced";
            logger.LogError(e, "Report {ReportId} failed", id);
            await store.FailAsync(id, reason, CancellationToken.None);
            await feed.NotifyAsync(report.UserId, new ReportProgress(id, ReportStatus.Failed, report.Progress, reason), CancellationToken.None);
        }
    }
}

/// <summary>Fired by a schedule's cron trigger: queues a report of that schedule's kind and cadence.</summary>
public sealed class ScheduledReportJob(IReportStore store, ReportScheduler scheduler, ILogger<ScheduledReportJob> logger) : IJob
{
    public static readonly JobKey Key = new("scheduled-report", "reports");
    public const string ScheduleIdKey = "scheduleId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(context.MergedJobDataMap.GetString(ScheduleIdKey), out var id) || await store.GetScheduleAsync(id, cancellationToken) is not { } schedule)
        {
            return;
        }

        var report = await store.CreateAsync(schedule.UserId, schedule.Kind, ReportPeriods.Of(schedule.Cadence), schedule.EntityId, schedule.Id, cancellationToken);
        await scheduler.ProduceAsync(report.Id, cancellationToken);
        logger.LogInformation("Schedule {ScheduleId} queued report {ReportId}", id, report.Id);
    }
}

/// <summary>Queues report production and keeps one Quartz cron trigger per schedule.</summary>
public sealed class ReportScheduler(ISchedulerFactory schedulers, IReportStore store)
{
    public async Task ProduceAsync(Guid reportId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.TriggerJob(ProduceReportJob.Key, new JobDataMap { [ProduceReportJob.ReportIdKey] = reportId.ToString() }, cancellationToken);
    }

    public static TriggerKey TriggerOf(Guid scheduleId) => new($"report-schedule-{scheduleId:N}", "reports");

    public async Task ScheduleAsync(ReportScheduleView schedule, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var trigger = TriggerBuilder.Create()
            .WithIdentity(TriggerOf(schedule.Id))
            .ForJob(ScheduledReportJob.Key)
            .UsingJobData(ScheduledReportJob.ScheduleIdKey, schedule.Id.ToString())
            .WithDescription($"{schedule.Cadence} {schedule.Kind} report")
            .WithCronSchedule(ReportPeriods.Cron(schedule.Cadence), c => c.InTimeZone(TimeZoneInfo.Utc))
            .Build();
        await scheduler.UnscheduleJob(trigger.Key, cancellationToken);
        await scheduler.ScheduleJob(trigger, cancellationToken: cancellationToken);
    }

    public async Task UnscheduleAsync(Guid scheduleId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.UnscheduleJob(TriggerOf(scheduleId), cancellationToken);
    }

    /// <summary>Registers every stored schedule (the in-memory store forgets triggers on restart).</summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        foreach (var schedule in await store.ListSchedulesAsync(null, cancellationToken))
        {
            await ScheduleAsync(schedule, cancellationToken);
        }
    }
}

/// <summary>Restores the schedules' triggers once the app has started.</summary>
public sealed class ReportScheduleRestorer(ReportScheduler scheduler, IHostApplicationLifetime lifetime, ILogger<ReportScheduleRestorer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var _ = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        try
        {
            await scheduler.RestoreAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Report schedules could not be restored");
        }
    }
}
