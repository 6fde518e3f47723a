using System.Globalization;
using System.Text.RegularExpressions;

namespace Terminal.Core.Insights;

/// <summary>
/// Turns computed findings into sentences, and checks that a sentence only restates numbers it was
/// given. Every number a sentence prints is one of the facts rounded for reading; groups are named by
/// the human labels the UI shows (<see cref="InsightLabels.Group"/>, never raw keys such as
/// <c>titleHasNumber</c>), quoted, since they may hold digits ("Duration 40–60 s"), and matched as
/// text (<see cref="LabelsOf"/>).
/// </summary>
public static partial class InsightWriter
{
    /// <summary>Sentences for the significant findings, the strongest (largest |ln effect|) first.</summary>
    public static IReadOnlyList<string> PatternSentences(IEnumerable<Finding> findings, int max)
    {
        var significant = findings.Where(f => f.Significant && f.Effect is > 0)
            .OrderByDescending(f => Math.Abs(Math.Log(f.Effect!.Value)))
            .ThenBy(f => f.Feature, StringComparer.Ordinal).ThenBy(f => f.Group, StringComparer.Ordinal)
            .Take(max)
            .Select(f => string.Create(CultureInfo.InvariantCulture,
                $"\"{InsightLabels.Group(f.Feature, f.Group)}\": median views ×{f.Effect:0.00} the rest's (interval {f.Low:0.00}–{f.High:0.00}, q {Q(f.Q!.Value)}, {f.N} posts)."))
            .ToList();
        if (significant.Count == 0)
        {
            significant.Add("No feature group differs from the rest with confidence; more posts would narrow the intervals.");
        }

        return significant;
    }

    /// <summary>A q-value as printed: three significant decimals, "&lt;0.001" never (a fact must be restated, not bounded).</summary>
    public static string Q(double q) => q.ToString(q >= 0.001 ? "0.000" : "0.###E+0", CultureInfo.InvariantCulture);

    /// <summary>
    /// Numbers in <paramref name="text"/> that are not among <paramref name="facts"/>: a number printed
    /// with d decimals matches a fact within half a unit of its last digit (so "1.82" restates 1.8234);
    /// quoted text equal to one of <paramref name="labels"/> is skipped. Empty when the text only restates.
    /// </summary>
    public static IReadOnlyList<string> UnsupportedNumbers(string text, IEnumerable<double> facts, IEnumerable<string>? labels = null)
    {
        var labelSet = new HashSet<string>(labels ?? [], StringComparer.Ordinal);
        var stripped = QuotedRegex().Replace(text, m => labelSet.Contains(m.Groups[1].Value) ? " " : m.Value);
        var values = facts.Where(double.IsFinite).ToArray();
        var unsupported = new List<string>();
        foreach (Match m in NumberRegex().Matches(stripped))
        {
            var token = m.Value.Replace(",", "", StringComparison.Ordinal);
            if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var x))
            {
                continue;
            }

            var dot = token.IndexOf('.', StringComparison.Ordinal);
            var exponent = token.IndexOfAny(['e', 'E']);
            var decimals = dot < 0 ? 0 : (exponent < 0 ? token.Length : exponent) - dot - 1;
            var tolerance = exponent >= 0 ? Math.Abs(x) * 0.005 : 0.5 * Math.Pow(10, -decimals);
            if (!values.Any(f => Math.Abs(f - x) <= tolerance + 1e-12 || Math.Abs(Math.Abs(f) - Math.Abs(x)) <= tolerance + 1e-12))
            {
                unsupported.Add(m.Value);
            }
        }

        return unsupported;
    }

    /// <summary>The quoted group labels the sentences of <paramref name="findings"/> may carry: text, not numbers.</summary>
    public static IEnumerable<string> LabelsOf(IEnumerable<Finding> findings) =>
        findings.Select(f => InsightLabels.Group(f.Feature, f.Group)).Distinct(StringComparer.Ordinal);

    /// <summary>Every number a pattern result states: each finding's n, effect, interval, q and hit rate.</summary>
    public static IEnumerable<double> FactsOf(IEnumerable<Finding> findings) =>
        findings.SelectMany(f => new double?[] { f.N, f.Effect, f.Low, f.High, f.Q, f.P, f.HitRate, f.HitLow, f.HitHigh, f.AdjustedEffect, f.AdjustedLow, f.AdjustedHigh })
            .Where(v => v is not null).Select(v => v!.Value);

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex QuotedRegex();

    [GeneratedRegex(@"\d[\d,]*(?:\.\d+)?(?:[eE][+-]?\d+)?")]
    private static partial Regex NumberRegex();
}
