using Quartz;

namespace Terminal.Jobs.Clips;

/// <summary>Quartz job of one clip request (the row is the truth; the job only carries its id): hands it to this node's <see cref="ClipDispatcher"/>.</summary>
public sealed class ExtractClipJob(ClipDispatcher dispatcher) : IJob
{
    public const string RequestIdKey = "requestId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(context.MergedJobDataMap.GetString(RequestIdKey), out var requestId))
        {
            return;
        }

        await dispatcher.EnqueueAsync(requestId, cancellationToken);
    }
}
