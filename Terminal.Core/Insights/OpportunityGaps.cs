using MathNet.Numerics.Distributions;
using Terminal.Core.Trends;

namespace Terminal.Core.Insights;

/// <summary>What a topic's gap is computed from over a window (SPEC §3): its views velocity, its active creators and its clips published in the window.</summary>
public sealed record TopicSupply(int TopicId, string Topic, double Demand, int ActiveCreators, int Posts);

/// <summary>
/// SPEC §10 opportunity row: demand (views/h), supply (clips/h after shrinkage), gap 0–100 and its
/// 95 % interval on the same scale, and ideas (sentences restating these numbers).
/// </summary>
public sealed record OpportunityGap(int TopicId, string Topic, double Demand, double Supply, double Gap, double Low, double High, IReadOnlyList<string> Ideas);

/// <summary>
/// Opportunity gaps with empirical-Bayes (Gamma–Poisson) shrinkage of the posting rate, so a topic
/// seen with a handful of clips is not ranked on a noisy rate.
/// </summary>
public static class OpportunityGaps
{
    /// <summary>
    /// <para>Each topic <c>i</c> posted <c>x_i</c> clips over an exposure of <c>E_i = hours(w) × max(A_i, 1)</c>
    /// creator-hours. Rates <c>λ_i</c> (clips per creator-hour) are modelled as Gamma(α, β) across topics;
    /// α and β come from the method of moments: <c>m = Σx / ΣE</c>,
    /// <c>s² = Σ E_i (x_i/E_i − m)² / ΣE</c>, <c>τ² = s² − m / Ē</c> (Ē the mean exposure),
    /// <c>α = m²/τ², β = m/τ²</c>; with τ² ≤ 0 the rates are pooled completely (every λ_i = m).</para>
    /// <para>The posterior is Gamma(α + x_i, β + E_i); its mean <c>λ̂_i</c> gives the supply
    /// <c>max(A_i, 1) × λ̂_i</c> (SPEC §3: active creators × posting rate) and the raw gap
    /// <c>max(demand, 0) / (supply + 1/hours(w))</c>. The interval takes the posterior's 97.5th and
    /// 2.5th percentiles of λ (more supply ⇒ less gap). Gap, low and high are min-max normalised to
    /// 0–100 over the point raws of the topics ranked together.</para>
    /// </summary>
    public static IReadOnlyList<OpportunityGap> Compute(IReadOnlyList<TopicSupply> topics, TimeSpan window)
    {
        if (topics.Count == 0)
        {
            return [];
        }

        var hours = window.TotalHours;
        var exposure = topics.Select(t => hours * Math.Max(t.ActiveCreators, 1)).ToArray();
        var totalExposure = exposure.Sum();
        var m = topics.Sum(t => (double)t.Posts) / totalExposure;
        var s2 = topics.Select((t, i) => exposure[i] * Math.Pow((t.Posts / exposure[i]) - m, 2)).Sum() / totalExposure;
        var tau2 = s2 - (m / (totalExposure / topics.Count));
        var pooled = tau2 <= 0 || m <= 0;
        double alpha = pooled ? 0 : m * m / tau2, beta = pooled ? 0 : m / tau2;

        var rows = new List<(TopicSupply T, double Supply, double Raw, double RawLow, double RawHigh)>();
        for (var i = 0; i < topics.Count; i++)
        {
            var t = topics[i];
            var creators = Math.Max(t.ActiveCreators, 1);
            double rate, rateLow, rateHigh;
            if (pooled)
            {
                rate = m;
                // Pooled: the rate's own uncertainty is the pool's Poisson error on all posts.
                rateLow = rateHigh = m;
                if (m > 0)
                {
                    var all = topics.Sum(x => (double)x.Posts);
                    rateLow = Gamma.InvCDF(all, totalExposure, 0.025);
                    rateHigh = Gamma.InvCDF(all, totalExposure, 0.975);
                }
            }
            else
            {
                var shape = alpha + t.Posts;
                var rateParam = beta + exposure[i];
                rate = shape / rateParam;
                rateLow = Gamma.InvCDF(shape, rateParam, 0.025);
                rateHigh = Gamma.InvCDF(shape, rateParam, 0.975);
            }

            var supply = creators * rate;
            var demand = Math.Max(t.Demand, 0);
            rows.Add((t, supply, Raw(demand, supply), Raw(demand, creators * rateHigh), Raw(demand, creators * rateLow)));
        }

        double min = rows.Min(r => r.Raw), max = rows.Max(r => r.Raw);
        return rows
            .Select(r =>
            {
                var gap = TrendFormulas.MinMaxNormalise(r.Raw, min, max);
                var low = Math.Min(gap, TrendFormulas.MinMaxNormalise(r.RawLow, min, max));
                var high = Math.Max(gap, TrendFormulas.MinMaxNormalise(r.RawHigh, min, max));
                return new OpportunityGap(r.T.TopicId, r.T.Topic, r.T.Demand, r.Supply, gap, low, high, Ideas(r.T.Topic, r.T.Demand, r.Supply, gap));
            })
            .OrderByDescending(g => g.Gap).ThenBy(g => g.TopicId)
            .ToList();

        double Raw(double demand, double supply) => demand / (supply + (1.0 / hours));
    }

    private static IReadOnlyList<string> Ideas(string topic, double demand, double supply, double gap)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        if (gap >= 50)
        {
            return
            [
                string.Create(c, $"\"{topic}\" is under-served: {demand:0} views/h meet {supply:0.00} new clips/h (gap {gap:0})."),
                string.Create(c, $"Clip the most-watched creators of \"{topic}\" first: demand outruns supply here."),
            ];
        }

        return gap >= 20
            ? [string.Create(c, $"\"{topic}\" has room: {demand:0} views/h for {supply:0.00} new clips/h (gap {gap:0}).")]
            : [string.Create(c, $"\"{topic}\" is well served (gap {gap:0}); compete on quality, not volume.")];
    }
}

/// <summary>Where a screen gets the opportunity gaps of topics (TRND's niches grid; implemented by the insights service, cached).</summary>
public interface IOpportunityGapSource
{
    /// <summary>SPEC §10 opportunities of <paramref name="platform"/> (null = all) over <paramref name="period"/>, largest gap first.</summary>
    Task<IReadOnlyList<OpportunityGap>> OpportunitiesAsync(Market.Platform? platform, Market.Period period, CancellationToken cancellationToken = default);
}
