using System.Globalization;
using Terminal.Core.Reports;

namespace Terminal.Web.Features.Reports;

/// <summary>How a KPI's value is written: whole counts, a rate as a percentage, views per hour, or a 0–100 score.</summary>
public enum KpiFormat
{
    Count,
    Rate,
    PerHour,
    Score,
}

/// <param name="Delta">Change against the previous period of equal length (a count difference, or for
/// <see cref="KpiFormat.Rate"/> a difference in rate); null when the previous period gives no number.</param>
/// <param name="DeltaIsPercent">True when <paramref name="Delta"/> is a fraction to show as Δ% (SPEC §3's change).</param>
public sealed record ReportKpi(string Key, string Label, double? Value, double? Delta, KpiFormat Format, bool DeltaIsPercent = false)
{
    public string ValueText => ReportFormat.Value(Value, Format);

    public string DeltaText => Delta is not { } d ? "—"
        : DeltaIsPercent ? (d >= 0 ? "+" : "") + d.ToString("0.0%", CultureInfo.InvariantCulture)
        : (d >= 0 ? "+" : "−") + ReportFormat.Value(Math.Abs(d), Format);
}

public sealed record ReportPoint(DateTime T, double V);

public sealed record ReportSeries(string Name, IReadOnlyList<ReportPoint> Points);

public sealed record ReportBar(string Label, double Value);

public sealed record ReportTable(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>One insight with its 95 % interval (SPEC §10); null numbers and a note when the group is too small.</summary>
public sealed record ReportInsight(string Section, string Text, double? Effect, double? Low, double? High, string? Note);

public sealed record ReportDefinition(string Term, string Text);

/// <summary>
/// Everything a report says, computed once by <see cref="ReportBuilder"/> and stored beside the PDF as JSON,
/// so the PDF, <c>?format=csv</c> and <c>?format=json</c> carry the same numbers.
/// </summary>
public sealed record ReportDocument(
    Guid Id,
    ReportKind Kind,
    string Title,
    string Subject,
    string Period,
    DateTime From,
    DateTime To,
    DateTime GeneratedAt,
    bool IsDemo,
    IReadOnlyList<ReportKpi> Kpis,
    string SeriesTitle,
    IReadOnlyList<ReportSeries> Series,
    string BarsTitle,
    IReadOnlyList<ReportBar> Bars,
    IReadOnlyList<ReportTable> Tables,
    IReadOnlyList<ReportInsight> Insights,
    IReadOnlyList<ReportDefinition> Definitions);

/// <summary>Number formats shared by the PDF, the CSV and the UI (invariant culture: 1,234,567 and 4.25%).</summary>
public static class ReportFormat
{
    public static string Value(double? value, KpiFormat format) => value is not { } v ? "—" : format switch
    {
        KpiFormat.Count => v.ToString("#,0", CultureInfo.InvariantCulture),
        KpiFormat.Rate => v.ToString("0.00%", CultureInfo.InvariantCulture),
        KpiFormat.PerHour => v.ToString("#,0.0", CultureInfo.InvariantCulture) + "/h",
        _ => v.ToString("0.0", CultureInfo.InvariantCulture),
    };

    public static string Count(long? value) => value is { } v ? v.ToString("#,0", CultureInfo.InvariantCulture) : "—";

    public static string Ratio(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "—";

    public static string Date(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Time(DateTime value) => value.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
