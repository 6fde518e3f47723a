using System.Globalization;

namespace Terminal.Web.Features.Shell;

/// <summary>Terminal number formats: compact magnitudes, signed percentages, UTC times.</summary>
public static class Fmt
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>1234 → 1.23K, 5_600_000 → 5.60M; below 1000 with at most one decimal.</summary>
    public static string Compact(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return "—";
        }

        var abs = Math.Abs(value);
        return abs switch
        {
            >= 1e9 => (value / 1e9).ToString("0.00", Invariant) + "B",
            >= 1e6 => (value / 1e6).ToString("0.00", Invariant) + "M",
            >= 1e4 => (value / 1e3).ToString("0.0", Invariant) + "K",
            >= 1e3 => (value / 1e3).ToString("0.00", Invariant) + "K",
            _ => value.ToString("0.#", Invariant),
        };
    }

    /// <summary>
    /// A rate in one shape for every row, so a right-aligned column lines up on its decimal point: one decimal
    /// and a magnitude letter (850 → "850.0 ", 1234 → "1.2K", 5_600_000 → "5.6M"); below a thousand a figure
    /// space stands where the letter would be.
    /// </summary>
    public static string Velocity(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return "—";
        }

        var abs = Math.Abs(value);
        return abs switch
        {
            >= 999_950_000 => (value / 1e9).ToString("0.0", Invariant) + "B",
            >= 999_950 => (value / 1e6).ToString("0.0", Invariant) + "M",
            >= 999.95 => (value / 1e3).ToString("0.0", Invariant) + "K",
            _ => value.ToString("0.0", Invariant) + FigureSpace,
        };
    }

    private const string FigureSpace = "\u2007";

    /// <summary>
    /// Shortens a long text from the middle (CSS can only cut the end), keeping its start and its end, where
    /// clip titles differ ("Best of … part 3" vs "… part 4"). Texts up to <paramref name="max"/> characters stay whole.
    /// </summary>
    public static string MiddleEllipsis(string? text, int max)
    {
        if (string.IsNullOrEmpty(text) || text.Length <= max || max < 3)
        {
            return text ?? "";
        }

        var keep = max - 1;
        var head = (keep + 1) / 2;
        var tail = keep - head;
        return text[..head].TrimEnd() + "…" + text[^tail..].TrimStart();
    }

    /// <summary>A fraction as a signed percentage (0.1234 → +12.3%); null → an em dash.</summary>
    public static string Change(double? fraction) =>
        fraction is not { } f || double.IsNaN(f) || double.IsInfinity(f) ? "—" : (f >= 0 ? "+" : "") + (f * 100).ToString("0.0", Invariant) + "%";

    /// <summary>The CSS class of a delta: up, down or flat.</summary>
    public static string ChangeClass(double? fraction) => fraction switch
    {
        > 0 => "up",
        < 0 => "down",
        _ => "flat",
    };

    /// <summary>▲ / ▼ / · for a delta.</summary>
    public static string Arrow(double? fraction) => fraction switch
    {
        > 0 => "▲",
        < 0 => "▼",
        _ => "·",
    };

    public static string Platform(Terminal.Core.Market.Platform? platform) => platform switch
    {
        Terminal.Core.Market.Platform.TikTok => "TT",
        Terminal.Core.Market.Platform.Instagram => "IG",
        Terminal.Core.Market.Platform.YouTube => "YT",
        _ => "ALL",
    };

    public static string Duration(double? seconds)
    {
        if (seconds is not { } s || s < 0)
        {
            return "—";
        }

        var t = TimeSpan.FromSeconds(s);
        return t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", Invariant) : t.ToString(@"m\:ss", Invariant);
    }

    /// <summary>A count with its noun in the right number: 1 row, 2 rows, 0 rows.</summary>
    public static string Count(int n, string noun) => n.ToString("N0", Invariant) + " " + (n == 1 ? noun : noun + "s");

    /// <summary>A snake_case wire word as words for people: pending_validation → pending validation.</summary>
    public static string Words(string? wire) => string.IsNullOrEmpty(wire) ? "—" : wire.Replace('_', ' ');

    public static string Utc(DateTime at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", Invariant);
}
