using MathNet.Numerics.Distributions;

namespace Terminal.Core.Insights;

/// <summary>
/// The optional log-linear model of SPEC §10 / issue #13, a model-adjusted effect beside the plain
/// ratio of medians: <c>outcome = α_creator + β·[in group] + ε</c>, where <c>outcome</c> = ln(views at
/// the age) and <c>α_creator</c> is each creator's own baseline (creator fixed effects, fitted by least
/// squares on outcomes and group membership centred within each creator). The adjusted effect is
/// <c>exp(β)</c> — the ratio of geometric means of a creator's posts in the group vs their other posts —
/// with the 95 % interval <c>exp(β ± t(0.975, n − C − 1)·se(β))</c>, C = number of creators.
/// <para>
/// Why fixed effects and not a covariate such as "the creator's mean outcome": that mean contains the
/// creator's own in-group posts, so it soaks up part of the effect (on the DEMO market the planted ×1.8
/// duration effect came out as ×1.69 with an interval excluding 1.8); a per-creator intercept is the
/// baseline without that leak. Null when the group does not vary within any creator (a creator-level
/// feature such as the platform cannot be told apart from the baseline), or with too few rows.
/// </para>
/// </summary>
public sealed class LogLinearModel
{
    private readonly int[] _creator;
    private readonly int[] _creatorRows;
    private readonly double[] _within;
    private readonly double _withinSumOfSquares;
    private readonly int[] _counts;
    private readonly List<int> _touched = [];

    /// <summary>Prepares the rows of a run once (creator baselines); then <see cref="Fit(ReadOnlySpan{int})"/> per group.</summary>
    public LogLinearModel(IReadOnlyList<InsightRow> rows)
    {
        var index = new Dictionary<int, int>();
        _creator = new int[rows.Count];
        var sums = new List<double>();
        var counts = new List<int>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (!index.TryGetValue(rows[i].CreatorId, out var c))
            {
                index[rows[i].CreatorId] = c = index.Count;
                sums.Add(0);
                counts.Add(0);
            }

            _creator[i] = c;
            sums[c] += rows[i].Outcome;
            counts[c]++;
        }

        _creatorRows = [.. counts];
        _counts = new int[_creatorRows.Length];
        _within = new double[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var c = _creator[i];
            _within[i] = rows[i].Outcome - (sums[c] / counts[c]);
            _withinSumOfSquares += _within[i] * _within[i];
        }
    }

    public int Creators => _creatorRows.Length;

    /// <summary>The adjusted effect of the group made of the rows at <paramref name="groupRows"/> (indexes into the rows given at construction).</summary>
    public (double Effect, double Low, double High)? Fit(ReadOnlySpan<int> groupRows)
    {
        // Σ (x − x̄_c)(y − ȳ_c) = Σ over the group of (y − ȳ_c); Σ (x − x̄_c)² = Σ_c g_c − g_c²/n_c.
        double sxy = 0;
        foreach (var i in groupRows)
        {
            sxy += _within[i];
            if (_counts[_creator[i]]++ == 0)
            {
                _touched.Add(_creator[i]);
            }
        }

        double sxx = 0;
        foreach (var c in _touched)
        {
            sxx += _counts[c] - ((double)_counts[c] * _counts[c] / _creatorRows[c]);
            _counts[c] = 0;
        }

        _touched.Clear();
        var df = _within.Length - Creators - 1;
        if (df < 1 || sxx <= 1e-9)
        {
            return null;
        }

        var beta = sxy / sxx;
        var sigma2 = Math.Max(_withinSumOfSquares - (beta * sxy), 0) / df;
        var half = StudentT.InvCDF(0, 1, df, 0.975) * Math.Sqrt(sigma2 / sxx);
        return (Math.Exp(beta), Math.Exp(beta - half), Math.Exp(beta + half));
    }

    /// <summary>The adjusted effect of the rows where <paramref name="inGroup"/> is true.</summary>
    public static (double Effect, double Low, double High)? Fit(IReadOnlyList<InsightRow> rows, IReadOnlyList<bool> inGroup) =>
        new LogLinearModel(rows).Fit(Enumerable.Range(0, rows.Count).Where(i => inGroup[i]).ToArray());
}
