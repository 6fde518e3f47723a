using Quartz;

namespace Terminal.Jobs.Clips;

/// <summary>Quartz job of one clip request (the row is the truth; the job only carries its id).</summary>
public sealed class ExtractClipJob(ClipWorker worker, ClipQueue queue) : IJob
{
    public const string RequestIdKey = "requestId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(context.MergedJobDataMap.GetString(RequestIdKey), out var requestId))
        {
            return;
        }

        var outcome = await worker.RunAsync(requestId, cancellationToken);
        if (outcome == ClipRunOutcome.Busy)
        {
            // Every encode slot is taken: come back shortly rather than hold a scheduler thread.
            await queue.EnqueueClipAsync(requestId, TimeSpan.FromMilliseconds(500), CancellationToken.None);
        }
    }
}
