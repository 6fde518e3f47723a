using Terminal.Core.Alerts;
using Terminal.Core.Common;
using Terminal.Core.Market;
using Terminal.Web.Features.Alerts;

namespace Terminal.Web.Features.Watchlists;

/// <summary>
/// The screens' edits of one user's watchlists (TRND's <c>W</c>, the WATCH screen): add an item, remove one,
/// rename or delete a list. Every change goes through <see cref="IWatchlistStore"/> (owner-scoped) and tells
/// the alert monitor, so alerts scoped to a watchlist follow it.
/// </summary>
public sealed class WatchlistEditor(IWatchlistStore store, TimeProvider time, AlertMonitor? monitor = null)
{
    public Task<IReadOnlyList<Watchlist>> ListAsync(string userId, CancellationToken cancellationToken = default) =>
        store.ListAsync(userId, cancellationToken);

    public Task<Watchlist?> GetAsync(string userId, long id, CancellationToken cancellationToken = default) =>
        store.GetAsync(userId, id, cancellationToken);

    /// <summary>Adds <paramref name="item"/> to the list <paramref name="listId"/>, or to a new list named <paramref name="newListName"/>.
    /// An item already on the list is not added twice.</summary>
    public async Task<Watchlist> AddItemAsync(string userId, long? listId, string? newListName, WatchlistItem item, CancellationToken cancellationToken = default)
    {
        if (listId is null)
        {
            var name = ValidName(newListName);
            var created = await store.CreateAsync(userId, name, [item], Now, cancellationToken);
            monitor?.Invalidate();
            return created;
        }

        var list = await store.GetAsync(userId, listId.Value, cancellationToken) ?? throw NotFound();
        if (list.Items.Any(i => Same(i, item)))
        {
            return list;
        }

        if (list.Items.Count >= AlertService.MaxItems)
        {
            throw TerminalException.BadRequest("too_many_items", $"A watchlist holds at most {AlertService.MaxItems} items.");
        }

        return await SaveAsync(userId, list.Id, list.Name, [.. list.Items, item], cancellationToken);
    }

    public async Task<Watchlist> RemoveItemAsync(string userId, long listId, WatchlistItem item, CancellationToken cancellationToken = default)
    {
        var list = await store.GetAsync(userId, listId, cancellationToken) ?? throw NotFound();
        return await SaveAsync(userId, list.Id, list.Name, list.Items.Where(i => !Same(i, item)).ToList(), cancellationToken);
    }

    public async Task<Watchlist> RenameAsync(string userId, long listId, string? name, CancellationToken cancellationToken = default)
    {
        var valid = ValidName(name);
        var list = await store.GetAsync(userId, listId, cancellationToken) ?? throw NotFound();
        return await SaveAsync(userId, list.Id, valid, list.Items, cancellationToken);
    }

    public async Task DeleteAsync(string userId, long listId, CancellationToken cancellationToken = default)
    {
        if (!await store.DeleteAsync(userId, listId, cancellationToken))
        {
            throw NotFound();
        }

        monitor?.Invalidate();
    }

    private async Task<Watchlist> SaveAsync(string userId, long id, string name, IReadOnlyList<WatchlistItem> items, CancellationToken cancellationToken)
    {
        var saved = await store.UpdateAsync(userId, id, name, items, Now, cancellationToken) ?? throw NotFound();
        monitor?.Invalidate();
        return saved;
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private static bool Same(WatchlistItem a, WatchlistItem b) => a.Type == b.Type && a.Id == b.Id;

    private static string ValidName(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > AlertService.MaxNameLength)
        {
            throw TerminalException.BadRequest("invalid_name", $"A watchlist needs a name of 1–{AlertService.MaxNameLength} characters.");
        }

        return trimmed;
    }

    private static TerminalException NotFound() => TerminalException.NotFound("watchlist_not_found", "No such watchlist.");
}
