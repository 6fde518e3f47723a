using Quartz;
using Microsoft.Extensions.Options;
using Terminal.Jobs.Admin;
using Terminal.Jobs.Scheduling;

namespace Terminal.Web.Features.Admin;

/// <summary>One scheduled job as ADMIN lists it (SPEC §4 <c>GET /api/admin/jobs</c>).</summary>
public sealed record AdminJob(
    string Key,
    string Group,
    string? Description,
    string? Trigger,
    DateTimeOffset? PreviousFire,
    DateTimeOffset? NextFire,
    string? LastResult,
    long? LastDurationMs,
    string State,
    string Scope)
{
    /// <summary>Fires on one node of the cluster per firing (the clustered store's scheduler).</summary>
    public const string Cluster = "cluster";

    /// <summary>Fires on this node, whatever the others do (its own scheduler; every job when the store is not clustered).</summary>
    public const string Node = "node";
}

/// <summary>
/// Reads and drives the Quartz scheduler for the ADMIN console. With a clustered store this node's own
/// scheduler (<see cref="NodeScheduler"/>: heartbeat, insights cache) is listed and driven beside the
/// cluster's.
/// </summary>
public sealed class AdminJobsService(ISchedulerFactory schedulers, JobRunHistory history, IOptions<SchedulerOptions> options)
{
    public async Task<IReadOnlyList<AdminJob>> ListAsync(CancellationToken cancellationToken = default)
    {
        var jobs = new List<AdminJob>();
        var all = await SchedulersAsync(cancellationToken);
        for (var i = 0; i < all.Count; i++)
        {
            await AddJobsAsync(all[i], options.Value.IsClustered && i == 0 ? AdminJob.Cluster : AdminJob.Node, jobs, cancellationToken);
        }

        return jobs.OrderBy(j => j.Group, StringComparer.Ordinal).ThenBy(j => j.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>The main scheduler, then (clustered) this node's own.</summary>
    private async Task<IReadOnlyList<IScheduler>> SchedulersAsync(CancellationToken cancellationToken)
    {
        var main = await schedulers.GetScheduler(cancellationToken);
        return options.Value.IsClustered
            ? [main, await NodeScheduler.GetAsync(schedulers, clustered: true, cancellationToken)]
            : [main];
    }

    /// <summary>The scheduler that holds the job, or null.</summary>
    private async Task<IScheduler?> HolderAsync(JobKey jobKey, CancellationToken cancellationToken)
    {
        foreach (var scheduler in await SchedulersAsync(cancellationToken))
        {
            if (await scheduler.Exists(jobKey, cancellationToken))
            {
                return scheduler;
            }
        }

        return null;
    }

    private async Task AddJobsAsync(IScheduler scheduler, string scope, List<AdminJob> jobs, CancellationToken cancellationToken)
    {
        foreach (var group in await scheduler.GetJobGroupNames(cancellationToken))
        {
            foreach (var key in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(group), cancellationToken))
            {
                var detail = await scheduler.GetJobDetail(key, cancellationToken);
                var triggers = await scheduler.GetTriggersOfJob(key, cancellationToken);
                var states = new List<TriggerState>();
                foreach (var trigger in triggers)
                {
                    states.Add(await scheduler.GetTriggerState(trigger.Key, cancellationToken));
                }

                var last = history.LastRun(key);
                var state = StateOf(states);

                // A run-now fires through a one-off trigger that is gone once it ran, so the last recorded run
                // counts as a fire too; a paused trigger keeps a stale next-fire time, which would read "in 0s".
                var lastStarted = last is null ? (DateTimeOffset?)null : last.FinishedAt - TimeSpan.FromMilliseconds(last.DurationMs);
                var previousFire = triggers.Select(t => t.PreviousFireTimeUtc).Append(lastStarted).Where(t => t is not null).Max();
                jobs.Add(new AdminJob(
                    key.Name,
                    key.Group,
                    detail?.Description,
                    triggers.Count == 0 ? null : string.Join("; ", triggers.Select(Describe)),
                    previousFire,
                    state == "paused" ? null : triggers.Select(t => t.NextFireTimeUtc).Where(t => t is not null).Min(),
                    last?.Result,
                    last?.DurationMs,
                    state,
                    scope));
            }
        }
    }

    /// <summary>Fires the job now. False when there is no such job.</summary>
    public Task<bool> TriggerAsync(string group, string key, CancellationToken cancellationToken = default) =>
        OnHolderAsync(group, key, (scheduler, jobKey, ct) => scheduler.TriggerJob(jobKey, ct), cancellationToken);

    /// <summary>Pauses the job's triggers. False when there is no such job.</summary>
    public Task<bool> PauseAsync(string group, string key, CancellationToken cancellationToken = default) =>
        OnHolderAsync(group, key, async (scheduler, jobKey, ct) => await scheduler.PauseJob(jobKey, ct), cancellationToken);

    /// <summary>Resumes the job's triggers. False when there is no such job.</summary>
    public Task<bool> ResumeAsync(string group, string key, CancellationToken cancellationToken = default) =>
        OnHolderAsync(group, key, async (scheduler, jobKey, ct) => await scheduler.ResumeJob(jobKey, ct), cancellationToken);

    /// <summary>Runs <paramref name="action"/> on the scheduler that holds the job; false when none does.</summary>
    private async Task<bool> OnHolderAsync(string group, string key, Func<IScheduler, JobKey, CancellationToken, ValueTask> action, CancellationToken cancellationToken)
    {
        var jobKey = new JobKey(key, group);
        if (await HolderAsync(jobKey, cancellationToken) is not { } scheduler)
        {
            return false;
        }

        await action(scheduler, jobKey, cancellationToken);
        return true;
    }

    private static string Describe(ITrigger trigger) => trigger switch
    {
        ICronTrigger cron => $"cron {cron.CronExpressionString}",
        ISimpleTrigger simple when simple.RepeatCount == 0 => "once",
        ISimpleTrigger simple => $"every {Human(simple.RepeatInterval)}",
        _ => trigger.GetType().Name,
    };

    private static string Human(TimeSpan interval) =>
        interval.TotalHours >= 1 && interval.TotalHours % 1 == 0 ? $"{interval.TotalHours:0}h"
        : interval.TotalMinutes >= 1 && interval.TotalMinutes % 1 == 0 ? $"{interval.TotalMinutes:0}m"
        : $"{interval.TotalSeconds:0.###}s";

    private static string StateOf(IReadOnlyCollection<TriggerState> states) =>
        states.Count == 0 ? "no_trigger"
        : states.All(s => s == TriggerState.Paused) ? "paused"
        : states.Any(s => s == TriggerState.Blocked) ? "running"
        : states.Any(s => s == TriggerState.Error) ? "error"
        : states.All(s => s == TriggerState.Complete) ? "complete"
        : "scheduled";
}
