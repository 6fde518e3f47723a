using System.Globalization;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Terminal.Core;
using Terminal.Core.Reports;

namespace Terminal.Web.Features.Reports;

/// <summary>
/// Lays a <see cref="ReportDocument"/> out as an A4 PDF with PDFsharp 6.2.4 (MIT): a cover with the
/// KPIs and their deltas, a charts page (ScottPlot PNGs), the top tables, the insights with their 95 %
/// intervals and the definitions page. Dark ink on white, one family (DejaVu Sans), a footer on every page.
/// </summary>
public sealed partial class ReportPdf : IDisposable
{
    private const double Margin = 48;
    private static readonly XColor Ink = XColor.FromArgb(0x22, 0x22, 0x22);
    private static readonly XColor Muted = XColor.FromArgb(0x6b, 0x6b, 0x6b);
    private static readonly XColor Accent = XColor.FromArgb(0x1f, 0x4e, 0x79);
    private static readonly XColor Rule = XColor.FromArgb(0xd9, 0xd9, 0xd9);
    private static readonly XColor Band = XColor.FromArgb(0xf3, 0xf5, 0xf8);
    private static readonly XColor Up = XColor.FromArgb(0x2e, 0x7d, 0x32);
    private static readonly XColor Down = XColor.FromArgb(0xc6, 0x28, 0x28);

    private readonly PdfDocument _pdf = new();
    private readonly ReportDocument _doc;
    private XGraphics? _gfx;
    private PdfPage? _page;
    private double _y;

    private ReportPdf(ReportDocument document) => _doc = document;

    private double Width => _page!.Width.Point - (2 * Margin);

    private double Bottom => _page!.Height.Point - Margin - 24;

    public static byte[] Render(ReportDocument document)
    {
        ReportFonts.EnsureInstalled();
        using var writer = new ReportPdf(document);
        writer.Write();
        using var stream = new MemoryStream();
        writer._pdf.Save(stream, false);
        return stream.ToArray();
    }

    public void Dispose()
    {
        _gfx?.Dispose();
        _pdf.Dispose();
    }

    private static XFont Font(double size, bool bold = false) => new(ReportFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);

    private void Write()
    {
        _pdf.Info.Title = $"{_doc.Title} — {_doc.Period}";
        _pdf.Info.Author = "Clip Terminal";
        _pdf.Info.Subject = _doc.Subject;
        _pdf.Info.Creator = "Clip Terminal";

        Cover();
        Charts();
        Tables();
        Insights();
        Definitions();
        _gfx?.Dispose();
        Footers();
    }

    private void NewPage()
    {
        _gfx?.Dispose();
        _page = _pdf.AddPage();
        _page.Size = PageSize.A4;
        _gfx = XGraphics.FromPdfPage(_page);
        _y = Margin;
    }

    private void Cover()
    {
        NewPage();
        var g = _gfx!;
        g.DrawRectangle(new XSolidBrush(Accent), 0, 0, _page!.Width.Point, 8);
        _y = 120;
        Text("CLIP TERMINAL", Font(10, true), Accent);
        _y += 8;
        Text(_doc.Title, Font(26, true), Ink);
        _y += 4;
        var kind = _doc.Kind.ToWire().ToUpperInvariant();
        Text($"{kind} report · period {_doc.Period} · {ReportFormat.Date(_doc.From)} to {ReportFormat.Date(_doc.To)}", Font(12), Muted);
        _y += 24;
        g.DrawLine(new XPen(Rule, 0.8), Margin, _y, Margin + Width, _y);
        _y += 14;
        Pair("Prepared for", _doc.Subject);
        Pair("Generated at", ReportFormat.Time(_doc.GeneratedAt));
        Pair("Report id", _doc.Id.ToString());
        if (_doc.IsDemo)
        {
            Pair("Data", "DEMO — simulated market data");
        }

        _y += 28;
        Heading("Key figures", $"vs the previous {_doc.Period}");
        KpiGrid();
    }

    private void Pair(string label, string value)
    {
        _gfx!.DrawString(label, Font(10), new XSolidBrush(Muted), new XRect(Margin, _y, 110, 14), XStringFormats.TopLeft);
        _gfx.DrawString(value, Font(10, true), new XSolidBrush(Ink), new XRect(Margin + 110, _y, Width - 110, 14), XStringFormats.TopLeft);
        _y += 18;
    }

    private void KpiGrid()
    {
        const int columns = 3;
        const double height = 74;
        const double gap = 10;
        var width = (Width - (gap * (columns - 1))) / columns;
        for (var i = 0; i < _doc.Kpis.Count; i++)
        {
            var kpi = _doc.Kpis[i];
            var x = Margin + ((i % columns) * (width + gap));
            var y = _y + ((i / columns) * (height + gap));
            _gfx!.DrawRectangle(new XSolidBrush(Band), x, y, width, height);
            _gfx.DrawRectangle(new XSolidBrush(Accent), x, y, 3, height);
            _gfx.DrawString(kpi.Label.ToUpperInvariant(), Font(8, true), new XSolidBrush(Muted), new XRect(x + 12, y + 10, width - 16, 12), XStringFormats.TopLeft);
            _gfx.DrawString(kpi.ValueText, Font(18, true), new XSolidBrush(Ink), new XRect(x + 12, y + 26, width - 16, 22), XStringFormats.TopLeft);
            var color = kpi.Delta is > 0 ? Up : kpi.Delta is < 0 ? Down : Muted;
            _gfx.DrawString($"Δ {kpi.DeltaText}", Font(9, true), new XSolidBrush(color), new XRect(x + 12, y + 54, width - 16, 12), XStringFormats.TopLeft);
        }

        _y += ((_doc.Kpis.Count + columns - 1) / columns * (height + gap)) + 10;
    }

    private void Charts()
    {
        NewPage();
        Heading("Charts", null);
        Chart(_doc.SeriesTitle, ReportCharts.Lines(_doc.Series, 1000, 440));
        _y += 10;
        Chart(_doc.BarsTitle, ReportCharts.Bars(_doc.Bars, 1000, 380));
    }

    private void Chart(string title, byte[] png)
    {
        Text(title, Font(10, true), Ink);
        _y += 4;
        using var stream = new MemoryStream(png);
        using var image = XImage.FromStream(stream);
        var height = Width * image.PixelHeight / image.PixelWidth;
        _gfx!.DrawImage(image, Margin, _y, Width, height);
        _y += height + 8;
    }

    private void Tables()
    {
        NewPage();
        foreach (var table in _doc.Tables)
        {
            if (_y > Bottom - 120)
            {
                NewPage();
            }

            Heading(table.Title, null);
            Table(table.Columns, table.Rows, FirstColumnShare(table.Columns.Count));
            _y += 18;
        }
    }

    private static double FirstColumnShare(int columns) => columns >= 7 ? 0.34 : 0.4;

    private void Table(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows, double firstShare)
    {
        string Cell(IReadOnlyList<string> row, int c) => c < row.Count ? row[c] : "";

        // Columns of numbers (counts, rates, dates, ratios, intervals, "—") align right, header too; the widest column
        // of words (a title, a name, a finding) takes the room left and wraps; other word columns align left.
        var right = Enumerable.Range(0, columns.Count).Select(c => rows.Count > 0 && rows.All(r => NumberCell().IsMatch(Cell(r, c)))).ToArray();
        var words = Enumerable.Range(0, columns.Count).Where(c => !right[c]).ToList();
        var flex = words.Count == 0 ? 0 : words.MaxBy(c => rows.Select(r => Cell(r, c)).Append(columns[c]).Average(t => _gfx!.MeasureString(t, Font(8.5)).Width));

        // Every other column takes what its widest cell needs.
        var widths = new double[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            if (c != flex)
            {
                widths[c] = rows.Select(r => Cell(r, c)).Append(columns[c]).Max(t => _gfx!.MeasureString(t, Font(8.5, true)).Width) + 14;
            }
        }

        var rest = widths.Sum();
        var minimum = Width * (columns.Count >= 7 ? 0.28 : firstShare * 0.6);
        if (Width - rest < minimum)
        {
            var scale = (Width - minimum) / rest;
            for (var c = 0; c < columns.Count; c++)
            {
                widths[c] *= scale;
            }
        }

        widths[flex] = Width - widths.Sum();
        var layout = new TableLayout(widths, right, flex);

        Row(columns, layout, Font(8, true), Muted, null);
        _gfx!.DrawLine(new XPen(Ink, 0.8), Margin, _y, Margin + Width, _y);
        if (rows.Count == 0)
        {
            _y += 4;
            Text("No rows in this period.", Font(9), Muted);
            return;
        }

        for (var r = 0; r < rows.Count; r++)
        {
            if (_y + RowHeight(FlexLines(rows[r], layout, Font(8.5)).Count) > Bottom)
            {
                NewPage();
                Row(columns, layout, Font(8, true), Muted, null);
                _gfx!.DrawLine(new XPen(Ink, 0.8), Margin, _y, Margin + Width, _y);
            }

            Row(rows[r], layout, Font(8.5), Ink, r % 2 == 1 ? Band : null);
        }

        _gfx!.DrawLine(new XPen(Rule, 0.6), Margin, _y, Margin + Width, _y);
    }

    /// <summary>A number as the report prints one: a count, a rate, a rate per hour, a ratio, an interval, a date, or "—".</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(—|[+\-−]?[\d,]+(\.\d+)?(%|×|/h)?|\d{4}-\d\d-\d\d|[\d.]+× – [\d.]+×)$")]
    private static partial System.Text.RegularExpressions.Regex NumberCell();

    private sealed record TableLayout(double[] Widths, bool[] Right, int Flex);

    private const double LineHeight = 11;
    private const double RowPadding = 6;
    private const int MaxCellLines = 3;

    private static double RowHeight(int lines) => Math.Max(17, (lines * LineHeight) + RowPadding);

    /// <summary>The wide cell (a title, a finding) wraps onto up to three lines rather than losing its end —
    /// a finding's numbers sit at its end; the last line is shortened only past that.</summary>
    private List<string> FlexLines(IReadOnlyList<string> cells, TableLayout layout, XFont font)
    {
        var width = layout.Widths[layout.Flex] - 8;
        var lines = layout.Flex < cells.Count ? Wrap(cells[layout.Flex], font, width) : [];
        if (lines.Count > MaxCellLines)
        {
            lines = [.. lines.Take(MaxCellLines - 1), string.Join(' ', lines.Skip(MaxCellLines - 1))];
        }

        return lines.Count == 0 ? [""] : lines.Select(l => Fit(l, font, width)).ToList();
    }

    private void Row(IReadOnlyList<string> cells, TableLayout layout, XFont font, XColor color, XColor? fill)
    {
        var lines = FlexLines(cells, layout, font);
        var height = RowHeight(lines.Count);
        if (fill is { } f)
        {
            _gfx!.DrawRectangle(new XSolidBrush(f), Margin, _y, Width, height);
        }

        var brush = new XSolidBrush(color);
        var x = Margin;
        for (var c = 0; c < cells.Count && c < layout.Widths.Length; c++)
        {
            var width = layout.Widths[c];
            if (c == layout.Flex)
            {
                var top = _y + ((height - (lines.Count * LineHeight)) / 2);
                for (var l = 0; l < lines.Count; l++)
                {
                    _gfx!.DrawString(lines[l], font, brush, new XRect(x + 4, top + (l * LineHeight), width - 8, LineHeight), XStringFormats.CenterLeft);
                }
            }
            else
            {
                var text = Fit(cells[c], font, width - 8);
                var format = layout.Right[c] ? XStringFormats.CenterRight : XStringFormats.CenterLeft;
                var rect = layout.Right[c] ? new XRect(x, _y, width - 4, height) : new XRect(x + 4, _y, width - 8, height);
                _gfx!.DrawString(text, font, brush, rect, format);
            }

            x += width;
        }

        _y += height;
    }

    private void Insights()
    {
        if (_y > Bottom - 220)
        {
            NewPage();
        }
        else
        {
            _y += 10;
        }

        Heading("Insights", "effects with their 95 % intervals");
        if (_doc.Insights.Count == 0)
        {
            Text("Not enough data for insights in this period.", Font(10), Muted);
            return;
        }

        foreach (var section in _doc.Insights.GroupBy(i => i.Section))
        {
            if (_y > Bottom - 80)
            {
                NewPage();
            }

            Text(section.Key, Font(11, true), Accent);
            _y += 4;
            var rows = section.Select(i => (IReadOnlyList<string>)[
                i.Text,
                ReportFormat.Ratio(i.Effect),
                i.Low is { } low && i.High is { } high ? $"{ReportFormat.Ratio(low)} – {ReportFormat.Ratio(high)}" : i.Note ?? "not enough data",
            ]).ToList();
            Table(["Finding", "Effect", "95 % interval"], rows, 0.6);
            _y += 14;
        }
    }

    private void Definitions()
    {
        NewPage();
        Heading("Definitions", "how every number in this report is computed");
        foreach (var definition in _doc.Definitions)
        {
            var lines = Wrap(definition.Text, Font(9), Width);
            if (_y + 16 + (lines.Count * 12) > Bottom)
            {
                NewPage();
            }

            Text(definition.Term, Font(9.5, true), Ink);
            foreach (var line in lines)
            {
                Text(line, Font(9), Muted);
            }

            _y += 8;
        }
    }

    private void Heading(string title, string? note)
    {
        _gfx!.DrawString(title, Font(15, true), new XSolidBrush(Ink), new XRect(Margin, _y, Width, 20), XStringFormats.TopLeft);
        if (note is not null)
        {
            var width = _gfx.MeasureString(title, Font(15, true)).Width;
            _gfx.DrawString(note, Font(9), new XSolidBrush(Muted), new XRect(Margin + width + 10, _y + 5, Width - width - 10, 14), XStringFormats.TopLeft);
        }

        _y += 24;
        _gfx.DrawLine(new XPen(Accent, 1.2), Margin, _y, Margin + 40, _y);
        _y += 10;
    }

    private void Text(string text, XFont font, XColor color)
    {
        var height = font.Size * 1.35;
        _gfx!.DrawString(text, font, new XSolidBrush(color), new XRect(Margin, _y, Width, height), XStringFormats.TopLeft);
        _y += height;
    }

    private string Fit(string text, XFont font, double width)
    {
        if (_gfx!.MeasureString(text, font).Width <= width)
        {
            return text;
        }

        var end = text.Length;
        while (end > 1 && _gfx.MeasureString(text[..end] + "…", font).Width > width)
        {
            end--;
        }

        return text[..end].TrimEnd() + "…";
    }

    private List<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && _gfx!.MeasureString(candidate, font).Width > width)
            {
                lines.Add(line);
                line = word;
            }
            else
            {
                line = candidate;
            }
        }

        if (line.Length > 0)
        {
            lines.Add(line);
        }

        return lines;
    }

    private void Footers()
    {
        var count = _pdf.PageCount;
        for (var i = 0; i < count; i++)
        {
            var page = _pdf.Pages[i];
            using var g = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var y = page.Height.Point - Margin + 8;
            var width = page.Width.Point - (2 * Margin);
            g.DrawLine(new XPen(Rule, 0.6), Margin, y - 6, Margin + width, y - 6);
            var left = $"Clip Terminal · {_doc.Title} · {_doc.Period}" + (_doc.IsDemo ? " · DEMO data" : "");
            g.DrawString(left, Font(7.5), new XSolidBrush(Muted), new XRect(Margin, y, width, 10), XStringFormats.TopLeft);
            g.DrawString(string.Create(CultureInfo.InvariantCulture, $"Page {i + 1} of {count}"), Font(7.5), new XSolidBrush(Muted), new XRect(Margin, y, width, 10), XStringFormats.TopRight);
        }
    }
}
