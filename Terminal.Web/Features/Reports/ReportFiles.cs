using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Terminal.Core;
using Terminal.Core.Reports;
using Terminal.Web.Common;

namespace Terminal.Web.Features.Reports;

/// <summary>
/// Where reports live: <c>{Terminal:DataDirectory}/reports/{id}.pdf</c> with the document's data beside it
/// as <c>{id}.json</c>, so the CSV and JSON downloads are the very numbers the PDF shows.
/// </summary>
public sealed class ReportFiles(IOptions<TerminalOptions> options)
{
    public const string Folder = "reports";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = true,
    };

    public string Root => Path.Combine(options.Value.DataDirectoryFullPath, Folder);

    /// <summary>The relative path stored in the report row.</summary>
    public static string PdfPath(Guid id) => Path.Combine(Folder, id.ToString("N") + ".pdf");

    public string FullPath(string relative) => Path.Combine(options.Value.DataDirectoryFullPath, relative);

    public static string JsonPathOf(string pdfPath) => Path.ChangeExtension(pdfPath, ".json");

    /// <summary>Writes both files under temporary names, then renames them, so a reader never sees half a file.</summary>
    public async Task<(string RelativePath, long Size)> SaveAsync(ReportDocument document, byte[] pdf, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Root);
        var relative = PdfPath(document.Id);
        var full = FullPath(relative);
        var json = JsonSerializer.SerializeToUtf8Bytes(document, Json);
        await File.WriteAllBytesAsync(full + ".tmp", pdf, cancellationToken);
        await File.WriteAllBytesAsync(JsonPathOf(full) + ".tmp", json, cancellationToken);
        File.Move(JsonPathOf(full) + ".tmp", JsonPathOf(full), overwrite: true);
        File.Move(full + ".tmp", full, overwrite: true);
        return (relative, pdf.LongLength);
    }

    public void Delete(string? relative)
    {
        if (relative is null)
        {
            return;
        }

        var full = FullPath(relative);
        File.Delete(full);
        File.Delete(JsonPathOf(full));
    }

    public async Task<ReportDocument?> ReadDocumentAsync(string relative, CancellationToken cancellationToken)
    {
        var path = JsonPathOf(FullPath(relative));
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<ReportDocument>(stream, Json, cancellationToken);
    }
}

/// <summary>A report's data as CSV (<see cref="TerminalCsv"/>), one value a line: section, item, field, value.</summary>
public static class ReportCsv
{
    public static byte[] Write(ReportDocument document)
    {
        var rows = new List<(string Section, string Item, string Field, string Value)>
        {
            ("report", document.Title, "kind", document.Kind.ToWire()),
            ("report", document.Title, "period", document.Period),
            ("report", document.Title, "from", Iso(document.From)),
            ("report", document.Title, "to", Iso(document.To)),
            ("report", document.Title, "generatedAt", Iso(document.GeneratedAt)),
            ("report", document.Title, "subject", document.Subject),
        };
        foreach (var kpi in document.Kpis)
        {
            rows.Add(("kpi", kpi.Key, "value", Number(kpi.Value)));
            rows.Add(("kpi", kpi.Key, kpi.DeltaIsPercent ? "changePercent" : "delta", Number(kpi.Delta)));
        }

        foreach (var series in document.Series)
        {
            rows.AddRange(series.Points.Select(p => ("series", series.Name, Iso(p.T), Number(p.V))));
        }

        rows.AddRange(document.Bars.Select(b => ("bar", b.Label, "value", Number(b.Value))));
        foreach (var table in document.Tables)
        {
            foreach (var row in table.Rows)
            {
                for (var c = 1; c < row.Count && c < table.Columns.Count; c++)
                {
                    rows.Add((table.Title, row[0], table.Columns[c], row[c]));
                }
            }
        }

        foreach (var insight in document.Insights)
        {
            rows.Add((insight.Section, insight.Text, "effect", Number(insight.Effect)));
            rows.Add((insight.Section, insight.Text, "low", Number(insight.Low)));
            rows.Add((insight.Section, insight.Text, "high", Number(insight.High)));
        }

        return TerminalCsv.Write(["section", "item", "field", "value"], rows, static (csv, row) =>
        {
            csv.WriteField(row.Section);
            csv.WriteField(row.Item);
            csv.WriteField(row.Field);
            csv.WriteField(row.Value);
        });
    }

    private static string Iso(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Number(double? v) => v?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}
