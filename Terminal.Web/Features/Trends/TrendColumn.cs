using Terminal.Core.Market;
using Terminal.Core.Trends;

namespace Terminal.Web.Features.Trends;

/// <summary>The sortable columns of a trend grid.</summary>
public enum TrendColumn
{
    Rank,
    Name,
    Platform,
    Velocity,
    Change,
    Heat,
    Clippers,
}

/// <summary>Sorting and CSV of trend rows, kept apart from the component so it reads and tests plainly.</summary>
public static class TrendRows
{
    public static TrendItem[] Sort(IEnumerable<TrendItem> items, TrendColumn column, bool descending)
    {
        Func<TrendItem, object?> key = column switch
        {
            TrendColumn.Name => i => i.Name.ToLowerInvariant(),
            TrendColumn.Platform => i => i.Platform,
            TrendColumn.Velocity => i => i.Velocity,
            TrendColumn.Change => i => i.Change ?? double.NegativeInfinity,
            TrendColumn.Heat => i => i.Heat,
            TrendColumn.Clippers => i => i.ClipperCount,
            _ => i => i.Rank,
        };
        var ordered = descending ? items.OrderByDescending(key) : items.OrderBy(key);
        return ordered.ThenBy(i => i.Rank).ToArray();
    }

    /// <summary>
    /// The grid as CSV (<see cref="TerminalCsv"/>; Δ% as a fraction, sparkline points joined by spaces);
    /// with <paramref name="gaps"/> (the niches grid) three more columns: gap, gapLow, gapHigh (empty for a topic without one).
    /// </summary>
    public static byte[] ToCsv(IEnumerable<TrendItem> rows, IReadOnlyDictionary<int, Terminal.Core.Insights.OpportunityGap>? gaps = null) => TerminalCsv.Write(
        gaps is null
            ? ["rank", "id", "name", "platform", "velocity", "change", "heat", "clipperCount", "sparkline", "underClippedScore", "trending"]
            : ["rank", "id", "name", "platform", "velocity", "change", "heat", "clipperCount", "sparkline", "underClippedScore", "trending", "gap", "gapLow", "gapHigh"],
        rows,
        (csv, r) =>
        {
            csv.WriteField(r.Rank);
            csv.WriteField(r.Id);
            csv.WriteField(r.Name);
            csv.WriteField(r.Platform?.ToWire() ?? "all");
            csv.WriteField(r.Velocity);
            csv.WriteField(r.Change);
            csv.WriteField(r.Heat);
            csv.WriteField(r.ClipperCount);
            csv.WriteField(string.Join(' ', r.Sparkline.Select(v => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture))));
            csv.WriteField(r.UnderClippedScore);
            csv.WriteField(r.Trending ? "true" : "false");
            if (gaps is not null)
            {
                var gap = gaps.GetValueOrDefault(r.Id);
                csv.WriteField(gap?.Gap);
                csv.WriteField(gap?.Low);
                csv.WriteField(gap?.High);
            }
        });

    /// <summary>A sparkline as SVG polyline points in a w×h box.</summary>
    public static string SparkPoints(IReadOnlyList<double> values, double width, double height)
    {
        if (values.Count < 2)
        {
            return "";
        }

        var min = values.Min();
        var max = values.Max();
        var span = max - min;
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < values.Count; i++)
        {
            var x = i * width / (values.Count - 1);
            var y = span <= 0 ? height / 2 : height - ((values[i] - min) / span * (height - 2)) - 1;
            if (i > 0)
            {
                sb.Append(' ');
            }

            sb.Append(x.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)).Append(',')
              .Append(y.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
