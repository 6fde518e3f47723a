using System.Globalization;

namespace Terminal.Core.Insights;

/// <summary>One post analysed: its features and its views at the fixed age (the outcome is their log).</summary>
/// <param name="Entity">Stable id such as <c>clip:42</c> or <c>post:7</c>.</param>
public sealed record InsightRow(string Entity, int CreatorId, PostFeatures Features, double ViewsAtAge)
{
    /// <summary><c>ln(max(views at the fixed age, 1))</c>.</summary>
    public double Outcome => InsightMath.Outcome(ViewsAtAge);
}

/// <summary>
/// One feature group tested against the rest (SPEC §10). <see cref="Effect"/> is the plain ratio of
/// medians of views at the fixed age; low/high its bootstrap 95 % interval; <see cref="Q"/> the
/// Benjamini–Hochberg adjusted p-value of a Mann–Whitney test. A group too small to judge has every
/// number null, <see cref="Significant"/> false and a <see cref="Note"/>.
/// </summary>
/// <param name="HitRate">Share of the group's posts above the median of all rows, with its Wilson interval (hitLow, hitHigh).</param>
/// <param name="AdjustedEffect">The log-linear model's effect with each creator's baseline (creator fixed effects, <see cref="LogLinearModel"/>), with its 95 % interval (adjustedLow, adjustedHigh); informative only: significance is judged on the plain effect.</param>
public sealed record Finding(
    string Feature, string Group, int N, double? Effect, double? Low, double? High, double? Q, bool Significant, string? Note,
    double? P = null, double? HitRate = null, double? HitLow = null, double? HitHigh = null,
    double? AdjustedEffect = null, double? AdjustedLow = null, double? AdjustedHigh = null);

/// <summary>The findings of one run over <see cref="N"/> rows.</summary>
public sealed record PatternResult(int N, string Outcome, IReadOnlyList<Finding> Findings, IReadOnlyList<string> Insights);

/// <summary>Knobs of a pattern run; the defaults are the product's.</summary>
public sealed record PatternOptions
{
    /// <summary>Fewest posts in a group, and in the rest, for a group to be judged.</summary>
    public int MinGroupSize { get; init; } = 30;

    public int Seed { get; init; } = InsightMath.DefaultSeed;

    public int Resamples { get; init; } = InsightMath.BootstrapResamples;

    /// <summary>A finding is significant when q &lt; this and its interval excludes 1.</summary>
    public double FalseDiscoveryRate { get; init; } = 0.05;

    /// <summary>Most sentences in <see cref="PatternResult.Insights"/>.</summary>
    public int MaxInsights { get; init; } = 6;
}

/// <summary>
/// The viral-pattern detector: for every value of every tested feature, the group of posts with that
/// value against the rest. Pure; the same rows and seed always give the same result.
/// </summary>
public static class PatternDetector
{
    public const string NotEnoughData = "not enough data";

    /// <summary>Label of the outcome (the API's <c>outcome</c> field).</summary>
    public static string OutcomeLabel(TimeSpan age) =>
        string.Create(CultureInfo.InvariantCulture, $"ln(views at {age.TotalHours:0.##}h)");

    public static PatternResult Detect(IReadOnlyList<InsightRow> rows, PatternOptions? options = null, TimeSpan? age = null)
    {
        options ??= new PatternOptions();
        var n = rows.Count;
        var views = new double[n];
        for (var i = 0; i < n; i++)
        {
            views[i] = rows[i].ViewsAtAge;
        }

        // Sorted once: each group's and rest's sorted views come from one walk of this order.
        var order = Enumerable.Range(0, n).ToArray();
        var sortedViews = (double[])views.Clone();
        Array.Sort(sortedViews, order);
        var (ranks, tieTerm) = InsightMath.MidRanks(views);
        var overallMedian = InsightMath.MedianOfSorted(sortedViews);
        var model = new LogLinearModel(rows);
        var groupRows = new int[n];

        var findings = new List<Finding>();
        var group = new double[n];
        var rest = new double[n];
        foreach (var feature in PostFeatures.TestedKeys)
        {
            var values = new string[n];
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < n; i++)
            {
                values[i] = rows[i].Features[feature];
                counts[values[i]] = counts.GetValueOrDefault(values[i]) + 1;
            }

            if (counts.Count < 2)
            {
                continue; // every post shares the value: nothing to compare
            }

            foreach (var (value, count) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                if (count < options.MinGroupSize || n - count < options.MinGroupSize)
                {
                    findings.Add(new Finding(feature, value, count, null, null, null, null, false, NotEnoughData));
                    continue;
                }

                int g = 0, r = 0, hits = 0;
                double rankSum = 0;
                foreach (var index in order)
                {
                    if (string.Equals(values[index], value, StringComparison.Ordinal))
                    {
                        group[g++] = views[index];
                        rankSum += ranks[index];
                        hits += views[index] > overallMedian ? 1 : 0;
                        groupRows[g - 1] = index;
                    }
                    else
                    {
                        rest[r++] = views[index];
                    }
                }

                var ratio = InsightMath.RatioOfMedians(group.AsSpan(0, g), rest.AsSpan(0, r), InsightMath.SeedFor(options.Seed, feature + "=" + value), options.Resamples);
                var p = InsightMath.MannWhitneyP(rankSum, g, r, tieTerm);
                var (hitRate, hitLow, hitHigh) = InsightMath.Wilson(hits, g);
                var adjusted = model.Fit(groupRows.AsSpan(0, g));
                findings.Add(ratio is { } e
                    ? new Finding(feature, value, count, e.Effect, e.Low, e.High, null, false, null, p, hitRate, hitLow, hitHigh, adjusted?.Effect, adjusted?.Low, adjusted?.High)
                    : new Finding(feature, value, count, null, null, null, null, false, "no views in the rest", p, hitRate, hitLow, hitHigh, adjusted?.Effect, adjusted?.Low, adjusted?.High));
            }
        }

        var tested = findings.Select((f, i) => (f, i)).Where(x => x.f.P is not null).ToArray();
        var q = InsightMath.BenjaminiHochberg(tested.Select(x => x.f.P!.Value).ToArray());
        for (var k = 0; k < tested.Length; k++)
        {
            var f = tested[k].f;
            var significant = f.Effect is not null && q[k] < options.FalseDiscoveryRate && (f.Low > 1 || f.High < 1);
            findings[tested[k].i] = f with { Q = q[k], Significant = significant };
        }

        return new PatternResult(n, OutcomeLabel(age ?? InsightMath.DefaultAge), findings, InsightWriter.PatternSentences(findings, options.MaxInsights));
    }
}
