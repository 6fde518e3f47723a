using Terminal.Core.Trends;

namespace Terminal.Core.Market;

/// <summary>
/// Bulk writes and start-up reads of the market tables (implemented in Terminal.Data/Market): what the
/// demo and real market sources store, and what a starting or lagging node rebuilds its trend engine from.
/// </summary>
public interface IMarketStore
{
    /// <summary>The first start of the demo market (its creators' creation instant), or null before it.</summary>
    Task<DateTime?> DemoAnchorAsync(CancellationToken cancellationToken);

    /// <summary>The highest demo clip id stored (0 when none).</summary>
    Task<int> LastDemoClipIdAsync(CancellationToken cancellationToken);

    /// <summary>Inserts entity rows in one transaction.</summary>
    Task InsertEntitiesAsync(
        IEnumerable<Topic> topics, IEnumerable<Creator> creators, IEnumerable<ClipperAccount> clippers, IEnumerable<Vod> vods, IEnumerable<MarketClip> clips,
        CancellationToken cancellationToken);

    /// <summary>
    /// Appends snapshots in one transaction; returns how many were written. A sequence that is not a
    /// collection is enumerated once, as it is written (a backfill of millions of rows is never held in memory).
    /// </summary>
    Task<int> InsertSnapshotsAsync(IEnumerable<MetricSnapshot> snapshots, CancellationToken cancellationToken);

    /// <summary>The latest snapshot of every entity of a kind (restart of a data source).</summary>
    Task<List<MetricSnapshot>> LatestSnapshotsAsync(EntityKind kind, CancellationToken cancellationToken);

    /// <summary>
    /// Rebuilds <paramref name="engine"/>'s state from the database (entities and the snapshots of its
    /// retention horizon), or with <paramref name="since"/> only the snapshots taken since then; returns how many snapshots it loaded.
    /// </summary>
    Task<int> LoadEngineAsync(TrendEngine engine, DateTime now, CancellationToken cancellationToken, DateTime? since = null);
}
