using System.Globalization;
using Terminal.Core.Market;

namespace Terminal.Core.Insights;

/// <summary>What a post is published as.</summary>
public enum PostFormat
{
    ShortForm = 1,
    LongForm = 2,
    Live = 3,
}

/// <summary>
/// The features of a post the pattern detector groups by, computed once from what the post is
/// (SPEC §10; definitions in NUMBERS.md). Every value is a short string so a feature is a key of
/// <c>rows[].features</c> and a group is one of its values.
/// </summary>
/// <param name="Duration">Duration bucket: <c>&lt;20s</c>, <c>20-40s</c>, <c>40-60s</c>, <c>60s-3m</c>, <c>3m+</c> or <c>unknown</c>.</param>
/// <param name="HourOfWeek">0–167: hours since Monday 00:00 of publication, in the creator's time zone (UTC unless known).</param>
/// <param name="Weekday">mon…sun.</param>
/// <param name="Daypart">night (0–6 h), morning (6–12), afternoon (12–18), evening (18–24).</param>
/// <param name="TitleLength">Title length bucket in characters: <c>&lt;30</c>, <c>30-60</c>, <c>60+</c>.</param>
/// <param name="TitleHasNumber">yes/no: the title contains a digit.</param>
/// <param name="TitleHasQuestion">yes/no: the title contains a question mark.</param>
/// <param name="TitleHasEmoji">yes/no: the title contains a pictographic character (emoji).</param>
/// <param name="Hashtags">Hashtag count bucket: 0, 1-2, 3+.</param>
/// <param name="Format">short, long or live.</param>
/// <param name="Platform">youtube, instagram or tiktok.</param>
public sealed record PostFeatures(
    string Duration,
    int HourOfWeek,
    string Weekday,
    string Daypart,
    string TitleLength,
    string TitleHasNumber,
    string TitleHasQuestion,
    string TitleHasEmoji,
    string Hashtags,
    string Format,
    string Platform)
{
    /// <summary>Feature keys the pattern detector tests, in the order findings list them. (Hour of week has 168 values, too many to test one by one; best times use it.)</summary>
    public static readonly IReadOnlyList<string> TestedKeys =
        ["duration", "daypart", "weekday", "titleLength", "titleHasNumber", "titleHasQuestion", "titleHasEmoji", "hashtags", "format", "platform"];

    private static readonly string[] Weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>The features of one post.</summary>
    /// <param name="publishedAtUtc">Publication instant (UTC).</param>
    /// <param name="timeZone">The creator's time zone when known; UTC otherwise.</param>
    public static PostFeatures Compute(string title, Platform platform, DateTime publishedAtUtc, double? durationSeconds, PostFormat format, TimeZoneInfo? timeZone = null)
    {
        var local = timeZone is null ? publishedAtUtc : TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(publishedAtUtc, DateTimeKind.Utc), timeZone);
        var day = ((int)local.DayOfWeek + 6) % 7; // Monday = 0
        return new PostFeatures(
            Duration: DurationBucket(durationSeconds),
            HourOfWeek: (day * 24) + local.Hour,
            Weekday: Weekdays[day],
            Daypart: local.Hour switch { < 6 => "night", < 12 => "morning", < 18 => "afternoon", _ => "evening" },
            TitleLength: title.Length switch { < 30 => "<30", < 60 => "30-60", _ => "60+" },
            TitleHasNumber: YesNo(title.Any(char.IsAsciiDigit)),
            TitleHasQuestion: YesNo(title.Contains('?', StringComparison.Ordinal)),
            TitleHasEmoji: YesNo(HasEmoji(title)),
            Hashtags: CountHashtags(title) switch { 0 => "0", <= 2 => "1-2", _ => "3+" },
            Format: format switch { PostFormat.ShortForm => "short", PostFormat.LongForm => "long", _ => "live" },
            Platform: platform.ToString().ToLowerInvariant());
    }

    /// <summary>Duration bucket of a post of <paramref name="seconds"/> (null: unknown).</summary>
    public static string DurationBucket(double? seconds) => seconds switch
    {
        null or < 0 or double.NaN => "unknown",
        < 20 => "<20s",
        < 40 => "20-40s",
        < 60 => "40-60s",
        < 180 => "60s-3m",
        _ => "3m+",
    };

    /// <summary>Hashtags: words starting with <c>#</c> followed by a letter (so "#1" in "part #1" is not one).</summary>
    public static int CountHashtags(string title)
    {
        var count = 0;
        for (var i = 0; i + 1 < title.Length; i++)
        {
            if (title[i] == '#' && (i == 0 || char.IsWhiteSpace(title[i - 1])) && char.IsLetter(title[i + 1]))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>True when the text has a character in the emoji blocks (U+1F000–U+1FAFF, U+2600–U+27BF).</summary>
    public static bool HasEmoji(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is (>= 0x1F000 and <= 0x1FAFF) or (>= 0x2600 and <= 0x27BF))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The features as the <c>rows[].features</c> object (hour of week included).</summary>
    public IReadOnlyDictionary<string, string> ToDictionary() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["duration"] = Duration,
        ["hourOfWeek"] = HourOfWeek.ToString(CultureInfo.InvariantCulture),
        ["weekday"] = Weekday,
        ["daypart"] = Daypart,
        ["titleLength"] = TitleLength,
        ["titleHasNumber"] = TitleHasNumber,
        ["titleHasQuestion"] = TitleHasQuestion,
        ["titleHasEmoji"] = TitleHasEmoji,
        ["hashtags"] = Hashtags,
        ["format"] = Format,
        ["platform"] = Platform,
    };

    /// <summary>The value of a tested feature key.</summary>
    public string this[string key] => key switch
    {
        "duration" => Duration,
        "hourOfWeek" => HourOfWeek.ToString(CultureInfo.InvariantCulture),
        "weekday" => Weekday,
        "daypart" => Daypart,
        "titleLength" => TitleLength,
        "titleHasNumber" => TitleHasNumber,
        "titleHasQuestion" => TitleHasQuestion,
        "titleHasEmoji" => TitleHasEmoji,
        "hashtags" => Hashtags,
        "format" => Format,
        "platform" => Platform,
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Unknown feature."),
    };

    /// <summary>
    /// Version of the definitions above, the first field of <see cref="Encode"/>: bump it when a
    /// definition changes, and stored features of an older version are computed again (backfill).
    /// </summary>
    public const int Version = 1;

    /// <summary>The features as stored with their post: <c>1|40-60s|67|tue|evening|…</c> (version, then the fields in declaration order).</summary>
    public string Encode() => string.Join('|',
        Version.ToString(CultureInfo.InvariantCulture), Duration, HourOfWeek.ToString(CultureInfo.InvariantCulture), Weekday, Daypart,
        TitleLength, TitleHasNumber, TitleHasQuestion, TitleHasEmoji, Hashtags, Format, Platform);

    /// <summary>Features stored by <see cref="Encode"/>; null when absent, malformed or of another <see cref="Version"/> (compute them again).</summary>
    public static PostFeatures? Decode(string? stored)
    {
        var f = stored?.Split('|');
        if (f is not { Length: 12 } || f[0] != Version.ToString(CultureInfo.InvariantCulture)
            || !int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var hourOfWeek) || hourOfWeek > 167)
        {
            return null;
        }

        return new PostFeatures(f[1], hourOfWeek, f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11]);
    }

    private static string YesNo(bool value) => value ? "yes" : "no";
}
