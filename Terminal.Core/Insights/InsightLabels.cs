using System.Globalization;

namespace Terminal.Core.Insights;

/// <summary>
/// What people read instead of raw feature keys and numbers: "duration=20-40s" is "Duration 20–40 s",
/// a ratio is "1.84×", an interval "[1.79×, 1.89×]", a small q "3.2e-7". Each feature also has the
/// one-line definition shown as a tooltip (the full definitions are in NUMBERS.md).
/// </summary>
public static class InsightLabels
{
    private static readonly Dictionary<string, string> Definitions = new(StringComparer.Ordinal)
    {
        ["duration"] = "Length of the post (clips: their source range in the VOD), in buckets.",
        ["daypart"] = "Part of the day the post was published, in the creator's time zone (UTC unless known).",
        ["weekday"] = "Day of the week the post was published, in the creator's time zone (UTC unless known).",
        ["titleLength"] = "Number of characters in the title, in buckets.",
        ["titleHasNumber"] = "Whether the title contains a digit.",
        ["titleHasQuestion"] = "Whether the title contains a question mark.",
        ["titleHasEmoji"] = "Whether the title contains an emoji.",
        ["hashtags"] = "Number of #hashtags in the title, in buckets.",
        ["format"] = "Short form (≤ 3 min vertical: Shorts, Reels, TikTok), long form, or a live broadcast.",
        ["platform"] = "The platform the post is on.",
        ["hourOfWeek"] = "Hour of the week of publication (Monday 00 h = 0).",
    };

    private static readonly Dictionary<string, string> Days = new(StringComparer.Ordinal)
    {
        ["mon"] = "Monday", ["tue"] = "Tuesday", ["wed"] = "Wednesday", ["thu"] = "Thursday",
        ["fri"] = "Friday", ["sat"] = "Saturday", ["sun"] = "Sunday",
    };

    /// <summary>"Duration 20–40 s", "Posted in the evening (18–22 h)", "Title with a number" …; unknown keys read "key = group".</summary>
    public static string Group(string feature, string group) => feature switch
    {
        "duration" => "Duration " + DurationGroup(group),
        "daypart" => group switch
        {
            "night" => "Posted at night (0–6 h)",
            "morning" => "Posted in the morning (6–12 h)",
            "afternoon" => "Posted in the afternoon (12–18 h)",
            "evening" => "Posted in the evening (18–24 h)",
            _ => "Posted in the " + group,
        },
        "weekday" => "Posted on " + Days.GetValueOrDefault(group, group),
        "titleLength" => "Title " + group switch
        {
            "<30" => "under 30 characters",
            "30-60" => "of 30–60 characters",
            "60+" => "of 60 characters or more",
            _ => group,
        },
        "titleHasNumber" => group == "yes" ? "Title with a number" : "Title without a number",
        "titleHasQuestion" => group == "yes" ? "Title with a question" : "Title without a question",
        "titleHasEmoji" => group == "yes" ? "Title with an emoji" : "Title without an emoji",
        "hashtags" => group switch
        {
            "0" => "No hashtags",
            "1-2" => "1–2 hashtags",
            "3+" => "3 or more hashtags",
            _ => "Hashtags " + group,
        },
        "format" => group switch
        {
            "short" => "Short form",
            "long" => "Long form",
            "live" => "Live broadcast",
            _ => "Format " + group,
        },
        "platform" => "On " + group switch
        {
            "youtube" => "YouTube",
            "instagram" => "Instagram",
            "tiktok" => "TikTok",
            _ => group,
        },
        _ => feature + " = " + group,
    };

    /// <summary>The tooltip of a feature: its definition.</summary>
    public static string Definition(string feature) => Definitions.GetValueOrDefault(feature, feature);

    /// <summary>The human name of a duration bucket (<see cref="PostFeatures.DurationBucket"/>).</summary>
    public static string DurationGroup(string bucket) => bucket switch
    {
        "<20s" => "under 20 s",
        "20-40s" => "20–40 s",
        "40-60s" => "40–60 s",
        "60s-3m" => "1–3 min",
        "3m+" => "3 min or more",
        "unknown" => "unknown",
        _ => bucket,
    };

    /// <summary>A ratio as read: "1.84×"; "—" when absent.</summary>
    public static string Ratio(double? ratio) =>
        ratio is { } r && double.IsFinite(r) ? r.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "—";

    /// <summary>An interval of ratios: "[1.79×, 1.89×]"; "—" when absent.</summary>
    public static string Interval(double? low, double? high) =>
        low is { } l && high is { } h ? "[" + Ratio(l) + ", " + Ratio(h) + "]" : "—";

    /// <summary>A q-value: three decimals from 0.001 up, scientific below ("3.2e-7"); "—" when absent.</summary>
    public static string Q(double? q) => q switch
    {
        null => "—",
        >= 0.001 => q.Value.ToString("0.000", CultureInfo.InvariantCulture),
        0 => "0",
        _ => q.Value.ToString("0.#e-0", CultureInfo.InvariantCulture),
    };

    /// <summary>"Mon 18 h" for an hour of the week (0 = Monday 00 h).</summary>
    public static string HourOfWeek(int hourOfWeek)
    {
        string[] days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        return string.Create(CultureInfo.InvariantCulture, $"{days[hourOfWeek / 24 % 7]} {hourOfWeek % 24:00} h");
    }
}
