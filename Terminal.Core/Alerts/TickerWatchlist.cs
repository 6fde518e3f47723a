namespace Terminal.Core.Alerts;

/// <summary>
/// The per-user setting "which watchlist rides my ticker tape" (SPEC §11: a watchlist is a ticker-tape
/// source). No setting, or a list that no longer exists, means the market's top movers.
/// </summary>
public interface ITickerWatchlistStore
{
    /// <summary>The user's ticker watchlist; null for the movers (none chosen, or the list was deleted).</summary>
    Task<Watchlist?> GetAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Puts <paramref name="watchlistId"/> on the user's tape (null = back to the movers); false when the list is not the user's.</summary>
    Task<bool> SetAsync(string userId, long? watchlistId, CancellationToken cancellationToken = default);
}
