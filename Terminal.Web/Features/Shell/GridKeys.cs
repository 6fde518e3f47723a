namespace Terminal.Web.Features.Shell;

/// <summary>The keyboard moves every terminal grid shares (TRND's panels, UNDR, CRTR's lists).</summary>
public static class GridKeys
{
    /// <summary>
    /// The row index <paramref name="key"/> moves to from <paramref name="index"/> (-1: nothing selected) in a grid
    /// of <paramref name="count"/> rows: arrows one row, Page keys ten, Home/End the ends; null for any other key
    /// or an empty grid.
    /// </summary>
    public static int? Move(string key, int index, int count) => count == 0 ? null : key switch
    {
        "ArrowDown" => Math.Min(count - 1, index + 1),
        "ArrowUp" => Math.Max(0, index - 1),
        "PageDown" => Math.Min(count - 1, index + 10),
        "PageUp" => Math.Max(0, index - 10),
        "Home" => 0,
        "End" => count - 1,
        _ => null,
    };
}
