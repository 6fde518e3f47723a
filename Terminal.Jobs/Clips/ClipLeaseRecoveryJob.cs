using Microsoft.Extensions.Logging;
using Quartz;
using Terminal.Core.Clips;

namespace Terminal.Jobs.Clips;

/// <summary>
/// Every minute, cluster-wide (one node per fire): takes back the clips whose worker's lease lapsed — a node that
/// died mid-cut — and queues the ones now pending again, so they do not wait for some node to restart
/// (<see cref="ClipRecoveryService"/> does the same once at start). Only those clips' temp files are deleted.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ClipLeaseRecoveryJob(ExpiredClipLeases leases, IClipRequests requests, ClipQueue queue, ILogger<ClipLeaseRecoveryJob> logger) : IJob
{
    public static readonly JobKey Key = new("clip-lease-recovery", ClipQueue.ClipGroup);

    /// <summary>How often the job looks: well within the default 60 s lease, so a dead node's clip waits at most about two minutes.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var (taken, requeued) = await RecoverAsync(cancellationToken);
        context.Result = taken == 0 ? "no lapsed lease" : $"{taken} lapsed lease(s) taken back, {requeued} queued again";
    }

    /// <summary>Takes back the lapsed leases and queues again the ones that went back to pending (not the failed ones).</summary>
    public async Task<(int Taken, int Requeued)> RecoverAsync(CancellationToken cancellationToken)
    {
        var taken = await leases.TakeBackAsync(cancellationToken);
        if (taken.Count == 0)
        {
            return (0, 0);
        }

        var pending = (await requests.PendingIdsAsync(cancellationToken)).ToHashSet();
        var requeued = 0;
        foreach (var id in taken.Where(pending.Contains))
        {
            await queue.EnqueueClipAsync(id, cancellationToken: cancellationToken);
            requeued++;
        }

        logger.LogInformation("Clip lease recovery: {Taken} lapsed lease(s) taken back, {Requeued} queued again", taken.Count, requeued);
        return (taken.Count, requeued);
    }
}
