using Terminal.Core.Insights;

namespace Terminal.Jobs.DemoMarket;

/// <summary>
/// Known effects planted in the DEMO market so the pattern detector (SPEC §10) can be checked against
/// the truth (documented in NUMBERS.md): every view count of a clip is multiplied by
/// <see cref="DurationFactor"/> when its duration (its source range) falls in <see cref="DurationBand"/>,
/// and by <see cref="EveningFactor"/> when it is published in the UTC evening (18–24 h). The weekday
/// of publication has no effect (<see cref="NullFeature"/>): clips are published uniformly over the week.
/// </summary>
public static class DemoPlantedEffects
{
    /// <summary>The lifted duration bucket (a <see cref="PostFeatures.DurationBucket"/> value).</summary>
    public const string DurationBand = "20-40s";

    public const double DurationFactor = 1.8;

    /// <summary>The lifted daypart (UTC; demo creators have no known time zone).</summary>
    public const string EveningDaypart = "evening";

    public const double EveningFactor = 1.6;

    /// <summary>A feature with no planted effect.</summary>
    public const string NullFeature = "weekday";

    /// <summary>The multiplier of every view count of a clip of that duration published at that instant.</summary>
    public static double Factor(double? durationSeconds, DateTime publishedAtUtc)
    {
        var factor = 1.0;
        if (PostFeatures.DurationBucket(durationSeconds) == DurationBand)
        {
            factor *= DurationFactor;
        }

        if (publishedAtUtc.Hour >= 18)
        {
            factor *= EveningFactor;
        }

        return factor;
    }
}
