using MathNet.Numerics.Distributions;

namespace Terminal.Core.Insights;

/// <summary>
/// The statistics of SPEC §10, defined once (definitions in <c>Trends/NUMBERS.md</c>, section
/// "Insights"). Every function is pure; the pattern detector, the outlier scorer, best times and the
/// opportunity gaps call these same functions.
/// </summary>
public static class InsightMath
{
    /// <summary>The fixed age at which outcomes are read unless asked otherwise.</summary>
    public static readonly TimeSpan DefaultAge = TimeSpan.FromHours(24);

    /// <summary>Resamples of every bootstrap interval.</summary>
    public const int BootstrapResamples = 2_000;

    /// <summary>Seed of every bootstrap unless a caller gives another (results are reproducible).</summary>
    public const int DefaultSeed = 20261128;

    /// <summary>z for a two-sided 95 % interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// Views of a post at <paramref name="age"/> after publication, read from its stored cumulative
    /// readings by linear interpolation between the last reading at or before
    /// <c>published + age</c> and the first one after it. The series starts at 0 at publication (a
    /// post has no views before it exists), so a post read only once, 48 h in, still has a 24 h value
    /// on the line from (publication, 0). Null when no reading reaches <c>published + age</c> (the post
    /// is younger than the age, or its readings stop before it): a post is never extrapolated.
    /// </summary>
    /// <param name="readings">Readings of one post, ascending by time.</param>
    public static double? ViewsAtAge(IReadOnlyList<(DateTime At, long Views)> readings, DateTime published, TimeSpan age)
    {
        var target = published + age;
        (DateTime At, double Views) before = (published, 0);
        foreach (var (at, views) in readings)
        {
            if (at <= target)
            {
                if (at >= before.At)
                {
                    before = (at, views);
                }

                continue;
            }

            if (at - before.At <= TimeSpan.Zero)
            {
                return before.Views;
            }

            var fraction = (target - before.At) / (at - before.At);
            return before.Views + (fraction * (views - before.Views));
        }

        return before.At == target ? before.Views : null;
    }

    /// <summary>The outcome of a post: <c>ln(max(views at the fixed age, 1))</c> (a post with no views reads 0).</summary>
    public static double Outcome(double viewsAtAge) => Math.Log(Math.Max(viewsAtAge, 1));

    /// <summary>Median of a span already sorted ascending: the middle value, or the mean of the two middle values; NaN when empty.</summary>
    public static double MedianOfSorted(ReadOnlySpan<double> sorted) =>
        sorted.Length == 0 ? double.NaN
        : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
        : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

    /// <summary>Median of any values (sorts a copy).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return MedianOfSorted(sorted);
    }

    /// <summary>
    /// Wilson score interval of a proportion <c>k / n</c> at 95 %:
    /// <c>(p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)</c>. (0, 0, 1) for n = 0.
    /// </summary>
    public static (double P, double Low, double High) Wilson(int successes, int n, double z = Z95)
    {
        if (n <= 0)
        {
            return (0, 0, 1);
        }

        var p = (double)successes / n;
        var z2 = z * z;
        var centre = p + (z2 / (2.0 * n));
        var spread = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4.0 * n * n)));
        var denominator = 1 + (z2 / n);
        return (p, Math.Max(0, (centre - spread) / denominator), Math.Min(1, (centre + spread) / denominator));
    }

    /// <summary>
    /// Benjamini–Hochberg adjusted p-values (q-values), in the input order: with the p-values sorted
    /// ascending <c>p(1) ≤ … ≤ p(m)</c>, <c>q(i) = min_{j ≥ i} min(1, m·p(j)/j)</c>.
    /// </summary>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> pValues)
    {
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
        var q = new double[m];
        var running = 1.0;
        for (var rank = m; rank >= 1; rank--)
        {
            var i = order[rank - 1];
            running = Math.Min(running, Math.Min(1, m * pValues[i] / rank));
            q[i] = running;
        }

        return q;
    }

    /// <summary>
    /// One bootstrap replicate of the median of <paramref name="sorted"/> (n values, ascending): the
    /// median of n draws with replacement. Drawn exactly, in O(1), through order statistics: the k-th
    /// smallest of n uniform draws U is Beta(k, n − k + 1), and the k-th smallest of n draws of an index
    /// <c>⌈n·U⌉</c> is <c>⌈n·U(k)⌉</c> (ceil is monotone). For even n the (k+1)-th smallest is
    /// <c>U(k) + (1 − U(k))·Beta(1, n − k)</c> (the least of the n − k draws above U(k)). So the
    /// replicate has the distribution of "resample n values, take the median" without touching n values.
    /// </summary>
    public static double BootstrapMedian(ReadOnlySpan<double> sorted, Random rng)
    {
        var n = sorted.Length;
        if (n == 1)
        {
            return sorted[0];
        }

        var k = (n + 1) / 2; // lower middle (1-based)
        var uk = Beta.Sample(rng, k, n - k + 1);
        var lower = sorted[Index(uk, n)];
        if (n % 2 == 1)
        {
            return lower;
        }

        var uk1 = uk + ((1 - uk) * Beta.Sample(rng, 1, n - k));
        return (lower + sorted[Index(uk1, n)]) / 2;

        static int Index(double u, int n) => Math.Clamp((int)Math.Ceiling(u * n) - 1, 0, n - 1);
    }

    /// <summary>
    /// Ratio of medians <c>median(group) / median(rest)</c> with a seeded percentile-bootstrap 95 %
    /// interval: each of <paramref name="resamples"/> replicates resamples the group and the rest
    /// independently (<see cref="BootstrapMedian"/>); low/high are the 2.5th/97.5th percentiles
    /// (nearest rank) of the replicate ratios, widened if needed so that low ≤ effect ≤ high. Null when
    /// either side is empty or the rest's median is 0.
    /// </summary>
    public static (double Effect, double Low, double High)? RatioOfMedians(ReadOnlySpan<double> groupSorted, ReadOnlySpan<double> restSorted, int seed, int resamples = BootstrapResamples)
    {
        if (groupSorted.IsEmpty || restSorted.IsEmpty)
        {
            return null;
        }

        var restMedian = MedianOfSorted(restSorted);
        if (restMedian <= 0)
        {
            return null;
        }

        var effect = MedianOfSorted(groupSorted) / restMedian;
        var rng = new Random(seed);
        var ratios = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            var rest = BootstrapMedian(restSorted, rng);
            ratios[r] = rest <= 0 ? double.PositiveInfinity : BootstrapMedian(groupSorted, rng) / rest;
        }

        Array.Sort(ratios);
        var (low, high) = PercentileInterval(ratios);
        return (effect, Math.Min(low, effect), Math.Max(high, effect));
    }

    /// <summary>2.5th and 97.5th percentiles (nearest rank: positions ⌈0.025·N⌉ and ⌈0.975·N⌉) of sorted replicates.</summary>
    public static (double Low, double High) PercentileInterval(ReadOnlySpan<double> sortedReplicates)
    {
        var n = sortedReplicates.Length;
        var lo = Math.Max(1, (int)Math.Ceiling(0.025 * n));
        var hi = Math.Max(1, (int)Math.Ceiling(0.975 * n));
        return (sortedReplicates[lo - 1], sortedReplicates[hi - 1]);
    }

    /// <summary>
    /// Two-sided p-value of the Mann–Whitney U test (normal approximation with tie correction) that a
    /// group and the rest come from the same distribution. <paramref name="groupRankSum"/> is the sum of
    /// the group's mid-ranks in the pooled sample of <c>N = n1 + n2</c>; <paramref name="tieTerm"/> is
    /// <c>Σ (t³ − t)</c> over the pooled sample's tie blocks. 1 when either side is empty or all values tie.
    /// </summary>
    public static double MannWhitneyP(double groupRankSum, int n1, int n2, double tieTerm)
    {
        if (n1 == 0 || n2 == 0)
        {
            return 1;
        }

        double n = n1 + n2;
        var u = groupRankSum - (n1 * (n1 + 1) / 2.0);
        var mean = n1 * (double)n2 / 2.0;
        var variance = n1 * (double)n2 / 12.0 * ((n + 1) - (tieTerm / (n * (n - 1))));
        if (variance <= 0)
        {
            return 1;
        }

        var z = Math.Abs(u - mean) / Math.Sqrt(variance);
        return Math.Min(1, 2 * (1 - Normal.CDF(0, 1, z)));
    }

    /// <summary>
    /// Mid-ranks (1-based, ties share the mean of their positions) of values in their input order, and
    /// the tie term <c>Σ (t³ − t)</c> for <see cref="MannWhitneyP"/>.
    /// </summary>
    public static (double[] Ranks, double TieTerm) MidRanks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).ToArray();
        var keys = values.ToArray();
        Array.Sort(keys, order);
        var ranks = new double[values.Count];
        double tieTerm = 0;
        for (var i = 0; i < keys.Length;)
        {
            var j = i;
            while (j + 1 < keys.Length && keys[j + 1] == keys[i])
            {
                j++;
            }

            var rank = ((i + 1) + (j + 1)) / 2.0;
            for (var k = i; k <= j; k++)
            {
                ranks[order[k]] = rank;
            }

            double t = j - i + 1;
            tieTerm += (t * t * t) - t;
            i = j + 1;
        }

        return (ranks, tieTerm);
    }

    /// <summary>A stable 32-bit seed for one test (FNV-1a of the text, mixed with the run's seed), so every group gets its own reproducible stream.</summary>
    public static int SeedFor(int seed, string key)
    {
        unchecked
        {
            var hash = 2166136261u ^ (uint)seed;
            foreach (var c in key)
            {
                hash = (hash ^ c) * 16777619u;
            }

            return (int)(hash & 0x7FFFFFFF);
        }
    }
}
