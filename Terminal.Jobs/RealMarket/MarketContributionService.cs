using Microsoft.Extensions.Logging;
using Terminal.Core.Market;
using Terminal.Core.MarketSources;

namespace Terminal.Jobs.RealMarket;

/// <summary>What ACCT shows of the opt-in.</summary>
public sealed record ContributionView(Platform Platform, bool OptedIn, int? CreatorId, string? Handle, DateTime? OptedInAt, DateTime? LastPublishedAt);

/// <summary>
/// TikTok in the market (SPEC §9): TikTok offers no public-data API, so TikTok market creators come only
/// from linked accounts whose owners opt in ("contribute my public video stats to the market", off by
/// default). Each sync of a contributing account becomes a creator reading through the same market feed
/// as every other source; opting out withdraws the creator from the rankings at once and deletes it and
/// its readings.
/// </summary>
public sealed class MarketContributionService(
    IMarketContributions contributions,
    IMarketStore market,
    IMarketFeed feed,
    TimeProvider time,
    ILogger<MarketContributionService> logger)
{
    public async Task<ContributionView> GetAsync(string userId, Platform platform, CancellationToken cancellationToken)
    {
        var c = await contributions.GetAsync(userId, platform, cancellationToken);
        return new ContributionView(platform, c is not null, c?.CreatorId, null, c?.OptedInAt, c?.PublishedSyncAt);
    }

    public async Task<ContributionView> SetAsync(string userId, Platform platform, bool optIn, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (!optIn)
        {
            if (await contributions.OptOutAsync(userId, platform, cancellationToken) is { } removed)
            {
                feed.Publish(new MarketUpdate(now, []) { Entities = [EntityInfo.Withdrawn(EntityKind.Creator, removed)] });
                logger.LogInformation("Creator {CreatorId} withdrawn from the market: its owner opted out", removed);
            }

            return new ContributionView(platform, false, null, null, null, null);
        }

        var (contribution, creator, topic, topicCreated, latest) = await contributions.OptInAsync(userId, platform, now, cancellationToken);
        var entities = topicCreated ? new[] { EntityInfo.Of(topic), EntityInfo.Of(creator) } : new[] { EntityInfo.Of(creator) };
        MetricSnapshot[] snapshots = [];
        if (latest is not null && latest.Contribution.PublishedSyncAt is null)
        {
            snapshots = [latest.ToSnapshot(latest.SyncedAt)];
            await market.InsertSnapshotsAsync(snapshots, cancellationToken);
            await contributions.MarkPublishedAsync(contribution.PlatformAccountId, latest.SyncedAt, cancellationToken);
        }

        feed.Publish(new MarketUpdate(now, snapshots) { Entities = entities });
        return new ContributionView(platform, true, creator.Id, creator.Handle, contribution.OptedInAt, latest?.SyncedAt ?? contribution.PublishedSyncAt);
    }

    /// <summary>Publishes the syncs of contributing accounts not yet in the market; returns how many.</summary>
    public async Task<int> PublishPendingAsync(CancellationToken cancellationToken)
    {
        var pending = await contributions.PendingAsync(cancellationToken);
        if (pending.Count == 0)
        {
            return 0;
        }

        // Each reading is stamped with its sync's time: the instant the platform served those numbers.
        var snapshots = pending.Select(p => p.ToSnapshot(p.SyncedAt)).ToList();
        await market.InsertSnapshotsAsync(snapshots, cancellationToken);
        feed.Publish(new MarketUpdate(time.GetUtcNow().UtcDateTime, snapshots));
        foreach (var p in pending)
        {
            await contributions.MarkPublishedAsync(p.Contribution.PlatformAccountId, p.SyncedAt, cancellationToken);
        }

        return pending.Count;
    }
}
