namespace Terminal.Web.Features.Trends;

/// <summary>One line of the keys cheat-sheet: the keys and what they do.</summary>
public sealed record KeyBinding(string Keys, string Action);

/// <summary>
/// The keyboard of the terminal as the cheat-sheet (<c>?</c> on TRND) and HELP list it. TRND's screen keys
/// work without a click first and never while the cursor is in a text field (shell.js <c>onScreenKey</c>).
/// </summary>
public static class TrndKeys
{
    /// <summary>Keys that work on every screen.</summary>
    public static readonly IReadOnlyList<KeyBinding> Global =
    [
        new("/  or  Ctrl+K", "Command bar: type a mnemonic (TRND, CRTR <handle>, CLIP <vodId>, …)"),
        new("Esc", "Leave the command bar or close a dialog"),
    ];

    /// <summary>Keys of TRND (the market overview).</summary>
    public static readonly IReadOnlyList<KeyBinding> Trnd =
    [
        new("1  2  3  4", "Period 1h · 24h · 7d · 30d"),
        new("P", "Next platform: All → TikTok → Instagram → YouTube"),
        new("F1  F2  F3", "Focus the creators · niches · clips grid"),
        new("F4  F5", "Focus the chart · the under-clipped screener"),
        new("Tab  Shift+Tab", "Move focus through the filters and panels"),
        new("↑ ↓  PgUp PgDn  Home End", "Move the selected row (the chart follows it)"),
        new("Enter  or double-click", "Open the row: a creator in CRTR, a niche as the filter, a clip's source VOD in CLIP at the clip's range"),
        new("W", "Add the selected row (creator, niche or clip) to a watchlist"),
        new("?", "This cheat-sheet"),
    ];
}
