namespace Terminal.Core.Insights;

/// <summary>A post with its views at the fixed age (null while it is younger than the age).</summary>
public sealed record OutlierCandidate(string Entity, string Title, int CreatorId, DateTime PublishedAt, double? ViewsAtAge);

/// <summary>
/// SPEC §10 outlier row: <see cref="Views"/> at <see cref="AgeHours"/> ÷ <see cref="Baseline"/> (the
/// rolling median of the same creator's earlier posts at that age) = <see cref="Ratio"/>, with low/high
/// from a bootstrap of the baseline median.
/// </summary>
public sealed record Outlier(string Entity, string Title, int CreatorId, double AgeHours, double Views, double Baseline, double Ratio, double Low, double High);

/// <summary>Outlier scores: how far a post beat its own creator's usual at the same age.</summary>
public static class OutlierScorer
{
    /// <summary>Earlier posts of the creator in the rolling baseline (the most recent ones).</summary>
    public const int BaselineWindow = 10;

    /// <summary>Fewest earlier posts for a baseline; a creator's first posts get no score.</summary>
    public const int MinBaseline = 3;

    /// <summary>
    /// Scores every candidate published in <c>[from, to]</c> that has views at the age and at least
    /// <see cref="MinBaseline"/> earlier posts of its creator with views at the age (the baseline is
    /// the median of the last <see cref="BaselineWindow"/> of those, published strictly before it).
    /// The interval divides the post's views by the 97.5th and 2.5th percentiles of a seeded bootstrap
    /// of that median. Highest ratio first (ties: entity). Candidates of any time may be passed; earlier
    /// ones only feed baselines.
    /// </summary>
    public static IReadOnlyList<Outlier> Score(IEnumerable<OutlierCandidate> candidates, TimeSpan age, DateTime from, DateTime to, int seed = InsightMath.DefaultSeed, int resamples = InsightMath.BootstrapResamples)
    {
        var result = new List<Outlier>();
        foreach (var creator in candidates.Where(c => c.ViewsAtAge is not null).GroupBy(c => c.CreatorId))
        {
            var posts = creator.OrderBy(c => c.PublishedAt).ThenBy(c => c.Entity, StringComparer.Ordinal).ToArray();
            for (var i = MinBaseline; i < posts.Length; i++)
            {
                var post = posts[i];
                if (post.PublishedAt < from || post.PublishedAt > to)
                {
                    continue;
                }

                var earlier = posts.Take(i).Where(p => p.PublishedAt < post.PublishedAt).TakeLast(BaselineWindow).Select(p => p.ViewsAtAge!.Value).ToArray();
                if (earlier.Length < MinBaseline)
                {
                    continue;
                }

                Array.Sort(earlier);
                var baseline = InsightMath.MedianOfSorted(earlier);
                if (baseline <= 0)
                {
                    continue;
                }

                var views = post.ViewsAtAge!.Value;
                var (low, high) = BaselineInterval(earlier, InsightMath.SeedFor(seed, post.Entity), resamples);
                var ratio = views / baseline;
                result.Add(new Outlier(post.Entity, post.Title, post.CreatorId, age.TotalHours, views, baseline, ratio,
                    Math.Min(ratio, high <= 0 ? ratio : views / high),
                    Math.Max(ratio, low <= 0 ? double.PositiveInfinity : views / low)));
            }
        }

        return result.OrderByDescending(o => o.Ratio).ThenBy(o => o.Entity, StringComparer.Ordinal).ToList();
    }

    private static (double Low, double High) BaselineInterval(double[] sorted, int seed, int resamples)
    {
        var rng = new Random(seed);
        var medians = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            medians[r] = InsightMath.BootstrapMedian(sorted, rng);
        }

        Array.Sort(medians);
        return InsightMath.PercentileInterval(medians);
    }
}
