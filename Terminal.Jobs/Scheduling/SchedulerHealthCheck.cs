using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Quartz;

namespace Terminal.Jobs.Scheduling;

/// <summary>
/// The Quartz scheduler is started and not shut down (else unhealthy), and it is making progress: the
/// <see cref="SchedulerHeartbeatJob"/> ran within <see cref="SchedulerOptions.StallSeconds"/> (else
/// <c>degraded</c> — every thread busy, or triggers not firing: market ticks and clip hand-overs wait too).
/// With a clustered store the heartbeat runs on this node's own scheduler (<see cref="NodeScheduler"/>),
/// which is checked as well.
/// </summary>
public sealed class SchedulerHealthCheck(ISchedulerFactory schedulers, SchedulerHeartbeat heartbeat, TimeProvider time, IOptions<SchedulerOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var meta = await scheduler.GetMetadata(cancellationToken);
        var lastBeat = heartbeat.LastBeat;
        var data = new Dictionary<string, object>
        {
            ["status"] = meta.Status.ToString(),
            ["store"] = meta.JobStoreTypeName,
            ["jobsExecuted"] = meta.JobsExecuted,
            ["threads"] = meta.ThreadPoolSize,
            ["lastHeartbeatAt"] = lastBeat?.ToString("O") ?? "",
        };
        if (meta.Status != SchedulerStatus.Running)
        {
            return HealthCheckResult.Unhealthy($"{meta.SchedulerName} is {meta.Status}.", data: data);
        }

        if (options.Value.IsClustered)
        {
            // Clustered, the heartbeat beats on this node's own in-memory scheduler (NodeScheduler), so
            // the stall check below holds per node again; that scheduler must run too.
            var node = await NodeScheduler.GetAsync(schedulers, clustered: true, cancellationToken);
            var nodeMeta = await node.GetMetadata(cancellationToken);
            data["nodeScheduler"] = nodeMeta.Status.ToString();
            data["nodeJobsExecuted"] = nodeMeta.JobsExecuted;
            if (nodeMeta.Status != SchedulerStatus.Running)
            {
                return HealthCheckResult.Unhealthy($"{nodeMeta.SchedulerName} (this node's jobs) is {nodeMeta.Status}.", data: data);
            }
        }

        // Before the first beat, measure from the start (a cold start is not a stall).
        var since = lastBeat ?? meta.RunningSince ?? time.GetUtcNow();
        var silent = time.GetUtcNow() - since;
        return silent > TimeSpan.FromSeconds(options.Value.StallSeconds)
            ? HealthCheckResult.Degraded($"{meta.SchedulerName} is not making progress: no heartbeat for {silent.TotalSeconds:0} s (every thread busy or triggers not firing).", data: data)
            : HealthCheckResult.Healthy($"{meta.SchedulerName} running since {meta.RunningSince:O}", data);
    }
}
