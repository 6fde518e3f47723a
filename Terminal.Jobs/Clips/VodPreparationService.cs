using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Terminal.Core.Clips;
using Terminal.Jobs.Media;

namespace Terminal.Jobs.Clips;

/// <summary>
/// Runs <see cref="MediaOptions.MaxConcurrentPreparations"/> consumers of the <see cref="MediaPreparationQueue"/>,
/// each preparing one VOD at a time within <see cref="MediaOptions.PrepareTimeoutSeconds"/>
/// (<see cref="VodMediaService.ProbeAsync"/>). At start it queues again the VODs left <c>probing</c>
/// by a stopped node, since the queue lives in memory.
/// </summary>
public sealed class VodPreparationService(
    MediaPreparationQueue queue,
    VodMediaService vods,
    IVods store,
    IOptions<MediaOptions> options,
    ILogger<VodPreparationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var consumers = Enumerable.Range(0, options.Value.MaxConcurrentPreparations).Select(_ => ConsumeAsync(stoppingToken)).ToList();
        try
        {
            var probing = await store.ProbingIdsAsync(stoppingToken);
            foreach (var id in probing)
            {
                await queue.EnqueueAsync(id, stoppingToken);
            }

            if (probing.Count > 0)
            {
                logger.LogInformation("Media preparation: {Count} VOD(s) left probing queued again", probing.Count);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping before recovery finished: the rows stay probing and are queued at the next start.
        }

        await Task.WhenAll(consumers);
    }

    private async Task ConsumeAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var vodId in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await vods.ProbeAsync(vodId, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // One bad preparation must not stop this consumer; the VOD stays probing and is queued again at the next start.
                    logger.LogError(e, "Preparation of VOD {VodId} faulted", vodId);
                }
                finally
                {
                    queue.Done(vodId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
