namespace Terminal.Core.Trends;

/// <summary>
/// The precision of rows on the hub's delta subscriptions (<c>SubscribeDeltas</c>): finer than the terminal shows
/// (10× for heat, more for the rest), coarse enough that a value moves on the wire only when it moves on a screen.
/// A recency-weighted heat and a sliding window's sparkline drift in their last digits every tick even when nothing
/// a reader could see changed; at full precision every row of a clip topic would travel every tick.
/// The REST API, the plain <c>Subscribe</c> ticks and the in-process panels keep full precision.
/// </summary>
public static class TrendWirePrecision
{
    /// <summary>Significant digits of velocity (views per hour; the terminal shows three).</summary>
    public const int VelocityDigits = 4;

    /// <summary>Significant digits of the change ratio (shown as a percentage with one decimal).</summary>
    public const int ChangeDigits = 3;

    /// <summary>Significant digits of a sparkline point (a 12-point line a few pixels tall).</summary>
    public const int SparklineDigits = 3;

    /// <summary>Decimals of the 0–100 scores: heat, under-clipped score, opportunity gap (shown as whole numbers).</summary>
    public const int ScoreDecimals = 1;

    /// <summary>Decimals of the 0–1 clip share of voice (shown as a percentage).</summary>
    public const int ShareDecimals = 3;

    public static IReadOnlyList<TrendItem> Apply(IReadOnlyList<TrendItem> items)
    {
        var result = new TrendItem[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var sparkline = new double[item.Sparkline.Count];
            for (var s = 0; s < sparkline.Length; s++)
            {
                sparkline[s] = Significant(item.Sparkline[s], SparklineDigits);
            }

            result[i] = item with
            {
                Velocity = Significant(item.Velocity, VelocityDigits),
                Change = item.Change is { } change ? Significant(change, ChangeDigits) : null,
                Heat = Math.Round(item.Heat, ScoreDecimals, MidpointRounding.AwayFromZero),
                Sparkline = sparkline,
                UnderClippedScore = item.UnderClippedScore is { } u ? Math.Round(u, ScoreDecimals, MidpointRounding.AwayFromZero) : null,
                ClipShareOfVoice = item.ClipShareOfVoice is { } v ? Math.Round(v, ShareDecimals, MidpointRounding.AwayFromZero) : null,
                OpportunityGap = item.OpportunityGap is { } g ? Math.Round(g, ScoreDecimals, MidpointRounding.AwayFromZero) : null,
            };
        }

        return result;
    }

    /// <summary>
    /// <paramref name="value"/> rounded to <paramref name="digits"/> significant digits, as the closest double to that
    /// decimal (so it prints short): 1234567 → 1235000, 0.0123456 → 0.0123 at 3 and 4 digits.
    /// </summary>
    public static double Significant(double value, int digits)
    {
        if (value == 0 || !double.IsFinite(value))
        {
            return value;
        }

        var shift = digits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(value)));
        if (shift >= 0)
        {
            var scale = Math.Pow(10, Math.Min(shift, 22)); // an exact power of ten up to 10^22
            return Math.Round(value * scale, MidpointRounding.AwayFromZero) / scale;
        }

        var unit = Math.Pow(10, -shift);
        return Math.Round(value / unit, MidpointRounding.AwayFromZero) * unit;
    }
}
