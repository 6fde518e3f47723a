using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Terminal.Core.Market;
using Terminal.Data.Market;

namespace Terminal.Jobs.DemoMarket;

/// <summary>
/// Moves the DEMO market once: new clips come out, a handful of entities get fresh readings; the rows
/// are stored, then published on <see cref="IMarketFeed"/> (the trend engine and the live panels).
/// </summary>
[DisallowConcurrentExecution]
public sealed class DemoMarketTickJob(
    DemoMarketState demo,
    IOptions<DemoFeedOptions> options,
    MarketStore store,
    IMarketFeed feed,
    MarketStatus status,
    TimeProvider time,
    ILogger<DemoMarketTickJob> logger) : IJob
{
    public static readonly JobKey Key = new("demo-market-tick", "market");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var model = demo.Model;
        if (!options.Value.Enabled || !options.Value.Live)
        {
            context.Result = "DEMO feed off";
            return;
        }

        if (model is null || status.State != FeedState.Live)
        {
            context.Result = "waiting for the backfill";
            return;
        }

        await demo.Gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow().UtcDateTime;
            var step = model.Step(now);
            if (step.NewClips.Count > 0)
            {
                await store.InsertEntitiesAsync([], [], [], [], step.NewClips, cancellationToken);
            }

            if (step.Snapshots.Count > 0)
            {
                await store.InsertSnapshotsAsync(step.Snapshots, cancellationToken);
            }

            feed.Publish(new MarketUpdate(now, step.Snapshots) { Entities = step.NewClips.Select(EntityInfo.Of).ToArray() });
            status.MarkTick(now);
            context.Result = $"{step.Snapshots.Count} snapshots, {step.NewClips.Count} new clips";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "DEMO market tick failed");
            throw new JobExecutionException(ex);
        }
        finally
        {
            demo.Gate.Release();
        }
    }
}
