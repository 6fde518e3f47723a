using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Terminal.Jobs.Scheduling;

/// <summary>
/// A trigger the application declares at every start (a standing schedule, as opposed to one made at run time), kept
/// so that a node joining a clustered store can compare it with the stored one (<see cref="ClusteredScheduleSync"/>).
/// </summary>
public sealed record StandingTrigger(Action<ITriggerConfigurator<IJob>> Configure, bool PerNode)
{
    /// <summary>The trigger as declared now (start times are relative to the moment of the call).</summary>
    public ITrigger Build()
    {
        var builder = TriggerBuilder.Create();
        Configure(builder);
        return builder.Build();
    }
}

public static class StandingTriggers
{
    /// <summary>
    /// Declares a standing trigger: <see cref="QuartzBuilderExtensions.AddTrigger(IQuartzBuilder, Action{ITriggerConfigurator{IJob}})"/>,
    /// and on a clustered store a schedule that <see cref="ClusteredScheduleSync"/> reconciles with the stored one.
    /// </summary>
    public static IQuartzBuilder AddStandingTrigger(this IQuartzBuilder quartz, Action<ITriggerConfigurator<IJob>> configure)
    {
        quartz.AddTrigger(configure);
        quartz.Services.AddSingleton(new StandingTrigger(configure, NodeScheduler.IsPerNodeBuilder(quartz)));
        return quartz;
    }
}

/// <summary>
/// How a node joining a clustered store brings its standing schedule in: a trigger already stored with the same
/// schedule is left alone, one whose schedule differs (a changed interval or cron) is rescheduled, a new one is
/// added; and a job that now runs on each node's own scheduler is taken off the cluster's store.
/// </summary>
/// <remarks>
/// Quartz's default, replacing every declared trigger at start, breaks a running cluster. The replaced row loses
/// the reservation another node had already taken on its next firing (<c>ACQUIRED</c>); that node still fires it,
/// since its fire checks the row's state only, and its fire and the starting node's claim then keep each other going:
/// two firings per slot, 150 ms apart, for several rounds after a node starts (caught by
/// <c>TwoNodeTests.ClusteredTrigger_FiresOncePerFiring_AcrossBothNodes</c> on a loaded machine). So the clustered
/// store registers with <see cref="SchedulingOptions.IgnoreDuplicates"/> and this step reconciles what differs. A
/// changed schedule is still replaced, which may double one firing around that moment: an operator's change, not
/// every start. Job definitions already stored are kept (a job's row carries no schedule).
/// </remarks>
public sealed class ClusteredScheduleSync(
    ISchedulerFactory schedulers,
    IEnumerable<StandingTrigger> standing,
    ILogger<ClusteredScheduleSync> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var declared = standing.ToList();
        await SyncAsync(scheduler, declared.Where(t => !t.PerNode).Select(t => t.Build()), logger, cancellationToken);

        // A job that runs on each node's own scheduler is never on the cluster's store: one stored there by an earlier
        // release would keep firing cluster-wide beside the per-node one.
        foreach (var job in declared.Where(t => t.PerNode).Select(t => t.Build().JobKey).Distinct())
        {
            if (await scheduler.DeleteJob(job, cancellationToken))
            {
                logger.LogInformation("Job {Job} runs on each node's own scheduler: removed from the clustered store", job);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stores the triggers that are missing or whose schedule differs; returns the keys it (re)scheduled.</summary>
    public static async Task<IReadOnlyList<TriggerKey>> SyncAsync(IScheduler scheduler, IEnumerable<ITrigger> triggers, ILogger logger, CancellationToken cancellationToken)
    {
        var changed = new List<TriggerKey>();
        foreach (var trigger in triggers)
        {
            var stored = await scheduler.GetTrigger(trigger.Key, cancellationToken);
            if (stored is null)
            {
                try
                {
                    await scheduler.ScheduleJob(trigger, new ScheduleJobOptions(), cancellationToken);
                    changed.Add(trigger.Key);
                }
                catch (ObjectAlreadyExistsException)
                {
                    // Another node starting at the same moment stored it first.
                }
            }
            else if (!SameSchedule(stored, trigger))
            {
                logger.LogInformation("Trigger {Trigger} has a new schedule: replaced on the clustered store", trigger.Key);
                await scheduler.RescheduleJob(trigger.Key, trigger, cancellationToken);
                changed.Add(trigger.Key);
            }
        }

        return changed;
    }

    /// <summary>Whether two triggers fire the same job on the same schedule (their start times aside: each node declares its own).</summary>
    public static bool SameSchedule(ITrigger stored, ITrigger declared) =>
        stored.JobKey.Equals(declared.JobKey)
        && stored.Priority == declared.Priority
        && stored.CalendarName == declared.CalendarName
        && (stored, declared) switch
        {
            (ISimpleTrigger a, ISimpleTrigger b) => a.RepeatInterval == b.RepeatInterval && a.RepeatCount == b.RepeatCount && a.MisfireInstruction == b.MisfireInstruction,
            (ICronTrigger a, ICronTrigger b) => a.CronExpressionString == b.CronExpressionString && a.TimeZone.Id == b.TimeZone.Id && a.MisfireInstruction == b.MisfireInstruction,
            _ => false,
        };
}
