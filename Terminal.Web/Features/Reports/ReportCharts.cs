using System.Globalization;
using ScottPlot;

namespace Terminal.Web.Features.Reports;

/// <summary>The report's charts, drawn by ScottPlot 5 to PNG (print style: white ground, dark ink, one palette).</summary>
public static class ReportCharts
{
    /// <summary>Ink and accents shared with the PDF.</summary>
    public static readonly string[] Palette = ["#1f4e79", "#c0504d", "#4f8a3c", "#8064a2", "#d08a1d", "#2c9aa0"];

    public static byte[] Lines(IReadOnlyList<ReportSeries> series, int width, int height)
    {
        using var plot = NewPlot();
        var i = 0;
        foreach (var s in series.Where(s => s.Points.Count > 0))
        {
            var line = plot.Add.Scatter(s.Points.Select(p => p.T.ToOADate()).ToArray(), s.Points.Select(p => p.V).ToArray());
            line.LegendText = s.Name;
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.Color = Color.FromHex(Palette[i++ % Palette.Length]);
        }

        if (i == 0)
        {
            plot.Add.Annotation("No data in this period");
        }

        plot.Axes.DateTimeTicksBottom();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.DateTimeAutomatic { LabelFormatter = t => t.ToString("MMM d", CultureInfo.InvariantCulture) };
        plot.Axes.Bottom.TickLabelStyle.FontSize = 17;
        plot.Legend.IsVisible = i > 1;
        plot.Legend.Alignment = Alignment.UpperLeft;
        plot.Legend.FontName = ReportFonts.Family;
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    public static byte[] Bars(IReadOnlyList<ReportBar> bars, int width, int height)
    {
        using var plot = NewPlot();
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = plot.Add.Bar(position: i, value: bars[i].Value);
            bar.Color = Color.FromHex(Palette[i % Palette.Length]);
        }

        if (bars.Count == 0)
        {
            plot.Add.Annotation("No data in this period");
        }

        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, bars.Count).Select(i => (double)i).ToArray(), bars.Select(b => b.Label).ToArray());
        plot.Axes.Margins(bottom: 0);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set(ReportFonts.Family);
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        plot.Axes.Color(Color.FromHex("#333333"));
        plot.Grid.MajorLineColor = Color.FromHex("#e3e3e3");
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Compact };
        plot.Axes.Left.TickLabelStyle.FontSize = 17;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 17;
        plot.Legend.FontSize = 17;
        return plot;
    }

    /// <summary>1.2M, 34k, 950 — axis labels a reader takes in at a glance.</summary>
    public static string Compact(double v) => Math.Abs(v) switch
    {
        >= 1e9 => (v / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + "B",
        >= 1e6 => (v / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 1e3 => (v / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => v.ToString("0.##", CultureInfo.InvariantCulture),
    };
}
