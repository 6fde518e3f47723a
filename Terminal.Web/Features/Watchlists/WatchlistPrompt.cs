using MudBlazor;
using Terminal.Core.Alerts;
using Terminal.Core.Common;

namespace Terminal.Web.Features.Watchlists;

/// <summary>The W key of every grid (TRND, UNDR, CRTR): ask which watchlist, add the item, say what happened.</summary>
public static class WatchlistPrompt
{
    /// <summary>
    /// Shows <see cref="AddToWatchlistDialog"/> for <paramref name="item"/> (called <paramref name="label"/> in the
    /// dialog and the confirmation) and adds it to the list the user picks or names. A signed-out user, a cancelled
    /// dialog and a refused add (too many items, a bad name) end with a message, never an exception.
    /// </summary>
    public static async Task AddWithDialogAsync(this WatchlistEditor editor, IDialogService dialogs, ISnackbar snackbar, string? userId,
        WatchlistItem item, string label, CancellationToken cancellationToken)
    {
        if (userId is null)
        {
            snackbar.Add("Sign in to keep watchlists.", Severity.Info);
            return;
        }

        var lists = await editor.ListAsync(userId, cancellationToken);
        var dialog = await dialogs.ShowAsync<AddToWatchlistDialog>("Add to watchlist",
            new DialogParameters<AddToWatchlistDialog> { { d => d.Lists, lists }, { d => d.ItemLabel, label } },
            new DialogOptions { CloseOnEscapeKey = true, MaxWidth = MaxWidth.Small });
        var result = await dialog.Result;
        if (result is null || result.Canceled || result.Data is not WatchlistPick pick)
        {
            return;
        }

        try
        {
            var list = await editor.AddItemAsync(userId, pick.ListId, pick.NewName, item, cancellationToken);
            snackbar.Add($"Added {label} to watchlist \"{list.Name}\".", Severity.Success);
        }
        catch (TerminalException ex)
        {
            snackbar.Add(ex.Message, Severity.Warning);
        }
    }
}
