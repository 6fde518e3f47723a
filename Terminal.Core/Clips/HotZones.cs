namespace Terminal.Core.Clips;

/// <summary>A clip cut from a VOD: its source range and its views (SPEC §3 hot zones input).</summary>
public readonly record struct ClippedRange(double StartSeconds, double EndSeconds, long Views);

/// <summary>
/// Hot zones of a VOD (SPEC §3): a histogram over VOD time of the source ranges of clips cut from it,
/// weighted by those clips' views.
/// <para>
/// The VOD <c>[0, D)</c> is split into <c>n</c> equal bins of width <c>w = D / n</c>. A clip covering
/// <c>[s, e)</c> with <c>v</c> views adds <c>v × |[s, e) ∩ bin| / w</c> to each bin: a clip that
/// covers a bin entirely adds its views, one covering half of it adds half. Ranges are clamped to the
/// VOD; empty or inverted ranges and non-finite numbers are ignored. <see cref="Normalise"/> scales
/// the result to 0–1 (÷ the hottest bin) for the heat overlay.
/// </para>
/// </summary>
public static class HotZones
{
    public static double[] Compute(double vodDurationSeconds, int bins, IEnumerable<ClippedRange> clips)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var histogram = new double[bins];
        if (!double.IsFinite(vodDurationSeconds) || vodDurationSeconds <= 0)
        {
            return histogram;
        }

        var width = vodDurationSeconds / bins;
        foreach (var clip in clips)
        {
            if (!double.IsFinite(clip.StartSeconds) || !double.IsFinite(clip.EndSeconds) || clip.Views <= 0)
            {
                continue;
            }

            var start = Math.Max(0, clip.StartSeconds);
            var end = Math.Min(vodDurationSeconds, clip.EndSeconds);
            if (end <= start)
            {
                continue;
            }

            var first = Math.Min(bins - 1, (int)Math.Floor(start / width));
            var last = Math.Min(bins - 1, (int)Math.Floor(end / width));
            for (var i = first; i <= last; i++)
            {
                var overlap = Math.Min(end, (i + 1) * width) - Math.Max(start, i * width);
                if (overlap > 0)
                {
                    histogram[i] += clip.Views * overlap / width;
                }
            }
        }

        return histogram;
    }

    /// <summary>Each bin divided by the hottest one (all zeros stay zeros).</summary>
    public static double[] Normalise(double[] histogram)
    {
        var max = histogram.Length == 0 ? 0 : histogram.Max();
        return max <= 0 ? new double[histogram.Length] : histogram.Select(h => h / max).ToArray();
    }
}
