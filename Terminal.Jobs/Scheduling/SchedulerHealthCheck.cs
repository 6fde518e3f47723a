using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace Terminal.Jobs.Scheduling;

/// <summary>The Quartz scheduler is started and not shut down.</summary>
public sealed class SchedulerHealthCheck(ISchedulerFactory schedulers) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var meta = await scheduler.GetMetadata(cancellationToken);
        var data = new Dictionary<string, object>
        {
            ["status"] = meta.Status.ToString(),
            ["store"] = meta.JobStoreTypeName,
            ["jobsExecuted"] = meta.JobsExecuted,
        };
        return meta.Status == SchedulerStatus.Running
            ? HealthCheckResult.Healthy($"{meta.SchedulerName} running since {meta.RunningSince:O}", data)
            : HealthCheckResult.Unhealthy($"{meta.SchedulerName} is {meta.Status}.", data: data);
    }
}
