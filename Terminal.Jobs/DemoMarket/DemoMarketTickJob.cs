using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Terminal.Core.Market;

namespace Terminal.Jobs.DemoMarket;

/// <summary>
/// Moves the DEMO market once: new clips come out, a handful of entities get fresh readings; the rows
/// are stored, then published on <see cref="IMarketFeed"/> (the trend engine and the live panels).
/// </summary>
[DisallowConcurrentExecution]
public sealed class DemoMarketTickJob(
    DemoMarketState demo,
    IOptions<DemoFeedOptions> options,
    IMarketStore store,
    IMarketFeed feed,
    MarketStatus status,
    IMarketProducer producer,
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

        if (!producer.IsProducer)
        {
            // Several nodes: another one steps the model and its updates arrive here over Redis.
            context.Result = "another node produces the market";
            return;
        }

        await demo.Gate.WaitAsync(cancellationToken);
        try
        {
            if (demo.Term != producer.Term)
            {
                // This node just took over: the model still holds what it had at start, while the previous
                // producer moved the market on. Continue from what it stored (no values going backwards,
                // no clip published twice).
                await ResumeAsync(model, cancellationToken);
                demo.Term = producer.Term;
            }

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

    private async Task ResumeAsync(DemoMarketModel model, CancellationToken cancellationToken)
    {
        var latest = (await store.LatestSnapshotsAsync(EntityKind.Creator, cancellationToken))
            .Concat(await store.LatestSnapshotsAsync(EntityKind.Clip, cancellationToken));
        model.Resume(latest, await store.LastDemoClipIdAsync(cancellationToken));
        logger.LogInformation("This node now produces the market (term {Term}): DEMO model caught up with the database", producer.Term);
    }
}
