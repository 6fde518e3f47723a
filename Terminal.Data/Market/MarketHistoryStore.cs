using Terminal.Core.Market;

namespace Terminal.Data.Market;

/// <summary>
/// Thins the Snapshots table by <see cref="HistoryThinning"/>: reads one slice of (id, entity, instant)
/// keys through the <c>At</c> index, decides per entity which readings survive, and deletes the rest by
/// id in batches of <see cref="DeleteBatch"/> — each batch its own short statement, so the live feed's
/// inserts are never held up for long.
/// </summary>
public sealed class MarketHistoryStore(IDbContextFactory<TerminalDbContext> dbFactory) : IMarketHistory
{
    /// <summary>Ids per DELETE statement.</summary>
    public const int DeleteBatch = 2_000;

    public async Task<DateTime?> OldestSnapshotAtAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Snapshots.AsNoTracking().OrderBy(s => s.At).Select(s => (DateTime?)s.At).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<ThinningResult> ThinAsync(DateTime from, DateTime to, DateTime now, CancellationToken cancellationToken)
    {
        List<Key> keys;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            keys = await db.Snapshots.AsNoTracking()
                .Where(s => s.At >= from && s.At < to)
                .Select(s => new Key(s.Kind, s.EntityId, s.At, s.Id))
                .ToListAsync(cancellationToken);
        }

        var doomed = Doomed(keys, now.Ticks);
        foreach (var chunk in doomed.Chunk(DeleteBatch))
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var strategy = db.Database.CreateExecutionStrategy();
            await strategy.ExecuteAsync(
                (db, chunk),
                static (_, state, ct) => state.db.Snapshots.Where(s => state.chunk.Contains(s.Id)).ExecuteDeleteAsync(ct),
                verifySucceeded: null,
                cancellationToken);
        }

        return new ThinningResult(keys.Count, doomed.Count);
    }

    /// <summary>The ids the policy drops: per entity in time order (ties by id), each reading judged against the next.</summary>
    private static List<long> Doomed(List<Key> keys, long nowTicks)
    {
        keys.Sort(static (a, b) =>
        {
            var c = a.Kind.CompareTo(b.Kind);
            c = c != 0 ? c : a.EntityId.CompareTo(b.EntityId);
            c = c != 0 ? c : a.At.CompareTo(b.At);
            return c != 0 ? c : a.Id.CompareTo(b.Id);
        });
        var doomed = new List<long>();
        for (var i = 0; i < keys.Count; i++)
        {
            var k = keys[i];
            long? next = i + 1 < keys.Count && keys[i + 1].Kind == k.Kind && keys[i + 1].EntityId == k.EntityId ? keys[i + 1].At.Ticks : null;
            if (!HistoryThinning.Keeps(k.At.Ticks, next, nowTicks))
            {
                doomed.Add(k.Id);
            }
        }

        return doomed;
    }

    private readonly record struct Key(EntityKind Kind, int EntityId, DateTime At, long Id);
}
