using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Terminal.Core.Cluster;
using Terminal.Core.Market;
using Terminal.Core.Trends;

namespace Terminal.Jobs.DemoMarket;

/// <summary>
/// At start: when the demo feed is on, builds the demo market and backfills its history (first start)
/// or resumes it (later starts); then, in every case, rebuilds the trend engine from the database and
/// marks the feed live. Runs in the background so the host starts at once; <c>/health</c> reports
/// "backfilling" until it is done.
/// </summary>
public sealed class MarketBootstrapper(
    IOptions<DemoFeedOptions> options,
    IMarketStore store,
    TrendEngine engine,
    MarketStatus status,
    DemoMarketState demo,
    ILeases leases,
    IMarketProducer producer,
    TimeProvider time,
    ILogger<MarketBootstrapper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        try
        {
            var fedByBackfill = false;
            if (settings.Enabled)
            {
                status.IsDemo = true;
                status.SetState(FeedState.Backfilling);
                fedByBackfill = await StartDemoOnceAsync(settings, stoppingToken);
            }

            if (!fedByBackfill)
            {
                var watch = Stopwatch.StartNew();
                var loaded = await store.LoadEngineAsync(engine, time.GetUtcNow().UtcDateTime, stoppingToken);
                logger.LogInformation("Trend engine rebuilt from {Snapshots} stored snapshots in {ElapsedMs} ms", loaded, watch.ElapsedMilliseconds);
            }

            if (settings.Enabled)
            {
                status.MarkTick(time.GetUtcNow().UtcDateTime);
                status.SetState(FeedState.Live);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The market failed to start");
            status.SetState(FeedState.Faulted);
        }
    }

    /// <summary>
    /// Nodes starting together on a fresh database: one backfills, the others wait for it and then resume.
    /// A single node takes no lease (a restart after a crash mid-backfill must not wait for its own old one).
    /// </summary>
    private async Task<bool> StartDemoOnceAsync(DemoFeedOptions settings, CancellationToken cancellationToken)
    {
        if (!producer.HasPeers)
        {
            return await StartDemoAsync(settings, cancellationToken);
        }

        await using (await leases.AcquireAsync("market-bootstrap", TimeSpan.FromMinutes(5), cancellationToken))
        {
            return await StartDemoAsync(settings, cancellationToken);
        }
    }

    /// <summary>Builds or resumes the demo; true when a fresh backfill also fed the engine (no reload needed).</summary>
    private async Task<bool> StartDemoAsync(DemoFeedOptions settings, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var anchor = await store.DemoAnchorAsync(cancellationToken);
        if (anchor is { } existing)
        {
            var model = new DemoMarketModel(settings, existing);
            var latest = (await store.LatestSnapshotsAsync(EntityKind.Creator, cancellationToken))
                .Concat(await store.LatestSnapshotsAsync(EntityKind.Clip, cancellationToken));
            model.Resume(latest, await store.LastDemoClipIdAsync(cancellationToken));
            demo.Set(model);
            logger.LogInformation("DEMO market resumed (seed {Seed}, first start {Anchor:O}) in {ElapsedMs} ms", settings.Seed, existing, watch.ElapsedMilliseconds);
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var fresh = new DemoMarketModel(settings, new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc));
        await store.InsertEntitiesAsync(fresh.Topics, fresh.Creators, fresh.Clippers, fresh.Vods, fresh.HistoricClips, cancellationToken);
        // The engine takes the same rows as they are written (a fresh database holds nothing else of the market).
        engine.Register(fresh.Topics.Select(EntityInfo.Of).Concat(fresh.Creators.Select(EntityInfo.Of)).Concat(fresh.HistoricClips.Select(EntityInfo.Of)));
        var written = await store.InsertSnapshotsAsync(Tee(fresh.Backfill()), cancellationToken);
        demo.Set(fresh);
        logger.LogInformation(
            "DEMO market backfilled: {Creators} creators, {Clips} clips, {Snapshots} snapshots over {Days} days in {ElapsedMs} ms",
            fresh.Creators.Count, fresh.HistoricClips.Count(), written, settings.HistoryDays, watch.ElapsedMilliseconds);
        return true;
    }

    private IEnumerable<MetricSnapshot> Tee(IEnumerable<MetricSnapshot> snapshots)
    {
        var batch = new List<(EntityKind, int, Reading)>(20_000);
        foreach (var s in snapshots)
        {
            batch.Add((s.Kind, s.EntityId, Reading.From(s)));
            if (batch.Count == batch.Capacity)
            {
                engine.Ingest(batch);
                batch.Clear();
            }

            yield return s;
        }

        engine.Ingest(batch);
    }
}
