using Terminal.Core.Alerts;

namespace Terminal.Web.Features.Watchlists;

/// <summary>
/// One circuit's view of the user's ticker-tape source (SPEC §11): reads and changes the persisted setting
/// (<see cref="ITickerWatchlistStore"/>) and tells the shell's tape at once when WATCH or ACCT changes it
/// (or deletes or edits the list on it). Other browser tabs pick the change up on their tape's next re-read.
/// </summary>
public sealed class TickerSource(ITickerWatchlistStore store)
{
    /// <summary>Raised after the source (or the list on it) changed in this circuit.</summary>
    public event Action? Changed;

    public Task<Watchlist?> CurrentAsync(string userId, CancellationToken cancellationToken = default) => store.GetAsync(userId, cancellationToken);

    /// <summary>Puts a list on the tape (null = the market's movers); false when the list is not the user's.</summary>
    public async Task<bool> ChooseAsync(string userId, long? watchlistId, CancellationToken cancellationToken = default)
    {
        var ok = await store.SetAsync(userId, watchlistId, cancellationToken);
        if (ok)
        {
            Changed?.Invoke();
        }

        return ok;
    }

    /// <summary>A list was edited or deleted: the tape re-reads its source.</summary>
    public void NotifyChanged() => Changed?.Invoke();
}
