using MathNet.Numerics.Distributions;

namespace Terminal.Core.Insights;

/// <summary>
/// The optional log-linear model of SPEC §10 / issue #13, a model-adjusted effect beside the plain
/// ratio of medians: per feature group, ordinary least squares of
/// <c>outcome = β0 + β1·[in group] + β2·baseline + ε</c>, where <c>outcome</c> = ln(views at the age)
/// and <c>baseline</c> = the mean outcome of all rows of the same creator (so a group full of big
/// creators is not credited with their size). The adjusted effect is <c>exp(β1)</c>, a ratio of
/// geometric means holding the creator's baseline fixed; its 95 % interval is
/// <c>exp(β1 ± t(0.975, n − p)·se(β1))</c>. When every row has the same baseline (one creator) the
/// covariate is dropped (it would be collinear with the intercept) and p = 2; null when fewer than
/// p + 1 rows or the design is singular.
/// </summary>
public static class LogLinearModel
{
    /// <summary>Sums over all rows a run shares between its groups.</summary>
    public readonly record struct Totals(int N, double SumBaseline, double SumBaselineSq, double SumOutcome, double SumOutcomeSq, double SumBaselineOutcome);

    /// <summary>The creator baseline of each row: the mean outcome of the rows with its creator id.</summary>
    public static double[] Baselines(IReadOnlyList<InsightRow> rows)
    {
        var sums = new Dictionary<int, (double Sum, int Count)>();
        foreach (var row in rows)
        {
            var (sum, count) = sums.GetValueOrDefault(row.CreatorId);
            sums[row.CreatorId] = (sum + row.Outcome, count + 1);
        }

        var baselines = new double[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var (sum, count) = sums[rows[i].CreatorId];
            baselines[i] = sum / count;
        }

        return baselines;
    }

    public static Totals TotalsOf(ReadOnlySpan<double> baseline, ReadOnlySpan<double> outcome)
    {
        double sb = 0, sbb = 0, sy = 0, syy = 0, sby = 0;
        for (var i = 0; i < outcome.Length; i++)
        {
            sb += baseline[i];
            sbb += baseline[i] * baseline[i];
            sy += outcome[i];
            syy += outcome[i] * outcome[i];
            sby += baseline[i] * outcome[i];
        }

        return new Totals(outcome.Length, sb, sbb, sy, syy, sby);
    }

    /// <summary>The adjusted effect of a group given the run's totals and the group's sums (count, Σ baseline, Σ outcome over its rows).</summary>
    public static (double Effect, double Low, double High)? Fit(Totals t, int groupCount, double groupSumBaseline, double groupSumOutcome)
    {
        double n = t.N, g = groupCount;
        // Centred sums: the intercept is profiled out, leaving a 2×2 (or 1×1) system in β1, β2.
        var sxx = g - (g * g / n);
        var sxb = groupSumBaseline - (g * t.SumBaseline / n);
        var sbb = t.SumBaselineSq - (t.SumBaseline * t.SumBaseline / n);
        var sxy = groupSumOutcome - (g * t.SumOutcome / n);
        var sby = t.SumBaselineOutcome - (t.SumBaseline * t.SumOutcome / n);
        var syy = t.SumOutcomeSq - (t.SumOutcome * t.SumOutcome / n);
        var withBaseline = sbb > 1e-12 * Math.Max(1, t.SumBaselineSq);
        var p = withBaseline ? 3 : 2;
        if (t.N <= p || sxx <= 0)
        {
            return null;
        }

        double beta, varianceFactor, explained;
        if (withBaseline)
        {
            var det = (sxx * sbb) - (sxb * sxb);
            if (det <= 1e-12 * sxx * sbb)
            {
                return null; // the group is (almost) a function of the baseline: no separate effect to estimate
            }

            beta = ((sbb * sxy) - (sxb * sby)) / det;
            var gamma = ((sxx * sby) - (sxb * sxy)) / det;
            varianceFactor = sbb / det;
            explained = (beta * sxy) + (gamma * sby);
        }
        else
        {
            beta = sxy / sxx;
            varianceFactor = 1 / sxx;
            explained = beta * sxy;
        }

        var df = t.N - p;
        var sigma2 = Math.Max(syy - explained, 0) / df;
        var half = StudentT.InvCDF(0, 1, df, 0.975) * Math.Sqrt(sigma2 * varianceFactor);
        return (Math.Exp(beta), Math.Exp(beta - half), Math.Exp(beta + half));
    }

    /// <summary>The adjusted effect of the rows where <paramref name="inGroup"/> is true (the plain form of <see cref="Fit(Totals,int,double,double)"/>).</summary>
    public static (double Effect, double Low, double High)? Fit(IReadOnlyList<bool> inGroup, IReadOnlyList<double> baseline, IReadOnlyList<double> outcome)
    {
        var totals = TotalsOf(baseline.ToArray(), outcome.ToArray());
        int g = 0;
        double gb = 0, gy = 0;
        for (var i = 0; i < inGroup.Count; i++)
        {
            if (inGroup[i])
            {
                g++;
                gb += baseline[i];
                gy += outcome[i];
            }
        }

        return Fit(totals, g, gb, gy);
    }
}
