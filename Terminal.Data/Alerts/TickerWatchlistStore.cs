using Terminal.Core.Alerts;

namespace Terminal.Data.Alerts;

/// <summary>
/// <see cref="ITickerWatchlistStore"/> over the user's row (<c>TerminalUser.TickerWatchlistId</c>, next to the
/// plan). Deleting the list clears it (<see cref="WatchlistStore.DeleteAsync"/>); reading also checks that the
/// list still exists and is the user's, so a stale id never shows another list.
/// </summary>
public sealed class TickerWatchlistStore(TerminalDatabase database, IWatchlistStore watchlists) : ITickerWatchlistStore
{
    public async Task<Watchlist?> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        long? id;
        await using (var db = await database.OpenAsync(cancellationToken))
        {
            id = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.TickerWatchlistId).FirstOrDefaultAsync(cancellationToken);
        }

        return id is { } listId ? await watchlists.GetAsync(userId, listId, cancellationToken) : null;
    }

    public async Task<bool> SetAsync(string userId, long? watchlistId, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        if (watchlistId is { } id && !await db.Watchlists.AnyAsync(w => w.Id == id && w.UserId == userId, cancellationToken))
        {
            return false;
        }

        return await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.TickerWatchlistId, watchlistId), cancellationToken) > 0;
    }
}
