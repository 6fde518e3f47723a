using Terminal.Core.Alerts;

namespace Terminal.Data.Alerts;

/// <summary><see cref="IWatchlistStore"/> over the database; every query is filtered by the owner.</summary>
public sealed class WatchlistStore(TerminalDatabase database) : IWatchlistStore
{
    public async Task<IReadOnlyList<Watchlist>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var rows = await db.Watchlists.AsNoTracking().Include(w => w.Items).Where(w => w.UserId == userId).OrderBy(w => w.Id).ToListAsync(cancellationToken);
        return rows.Select(ToModel).ToList();
    }

    public async Task<Watchlist?> GetAsync(string userId, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var row = await db.Watchlists.AsNoTracking().Include(w => w.Items).FirstOrDefaultAsync(w => w.Id == id && w.UserId == userId, cancellationToken);
        return row is null ? null : ToModel(row);
    }

    public async Task<Watchlist> CreateAsync(string userId, string name, IReadOnlyList<WatchlistItem> items, DateTime now, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var row = new WatchlistRow { UserId = userId, Name = name, CreatedAt = now, UpdatedAt = now, Items = Rows(items) };
        db.Watchlists.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return ToModel(row);
    }

    public Task<Watchlist?> UpdateAsync(string userId, long id, string name, IReadOnlyList<WatchlistItem> items, DateTime now, CancellationToken cancellationToken = default) =>
        // Items are replaced as a whole: one transaction, so a reader never sees a half-written list.
        database.InTransactionAsync(System.Data.IsolationLevel.ReadCommitted, async (db, ct) =>
        {
            var row = await db.Watchlists.Include(w => w.Items).FirstOrDefaultAsync(w => w.Id == id && w.UserId == userId, ct);
            if (row is null)
            {
                return null;
            }

            db.WatchlistItems.RemoveRange(row.Items);
            await db.SaveChangesAsync(ct);
            row.Name = name;
            row.UpdatedAt = now;
            row.Items = Rows(items);
            await db.SaveChangesAsync(ct);
            return (Watchlist?)ToModel(row);
        }, cancellationToken);

    public Task<bool> DeleteAsync(string userId, long id, CancellationToken cancellationToken = default) =>
        // The list leaves the user's ticker tape with it (back to the movers), in the same transaction.
        database.InTransactionAsync(System.Data.IsolationLevel.ReadCommitted, async (db, ct) =>
        {
            if (await db.Watchlists.Where(w => w.Id == id && w.UserId == userId).ExecuteDeleteAsync(ct) == 0)
            {
                return false;
            }

            await db.Users.Where(u => u.Id == userId && u.TickerWatchlistId == id)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.TickerWatchlistId, (long?)null), ct);
            return true;
        }, cancellationToken);

    public async Task<IReadOnlyList<(string UserId, Watchlist List)>> AllAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var rows = await db.Watchlists.AsNoTracking().Include(w => w.Items).OrderBy(w => w.Id).ToListAsync(cancellationToken);
        return rows.Select(r => (r.UserId, ToModel(r))).ToList();
    }

    private static List<WatchlistItemRow> Rows(IReadOnlyList<WatchlistItem> items) =>
        items.Select((item, i) => new WatchlistItemRow { Type = item.Type, EntityId = item.Id, Platform = item.Platform, Position = i }).ToList();

    private static Watchlist ToModel(WatchlistRow row) => new(
        row.Id,
        row.Name,
        row.Items.OrderBy(i => i.Position).Select(i => new WatchlistItem(i.Type, i.EntityId, i.Platform)).ToList(),
        row.CreatedAt,
        row.UpdatedAt);
}
