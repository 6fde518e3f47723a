using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace Terminal.Web;

/// <summary>
/// The one CSV configuration of every export (TRND, the under-clipped screener, the CRM): RFC 4180 via
/// CsvHelper, invariant culture, UTF-8 without BOM, and formula-injection protection — a text field that
/// starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return is written quoted with a
/// leading <c>'</c>, so a spreadsheet shows it as text instead of evaluating it.
/// </summary>
public static class TerminalCsv
{
    /// <summary>The characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").</summary>
    public static IReadOnlyList<char> InjectionCharacters { get; } = ['=', '+', '-', '@', '\t', '\r'];

    public static CsvConfiguration Configuration { get; } = new(CultureInfo.InvariantCulture)
    {
        InjectionOptions = InjectionOptions.Escape,
        InjectionCharacters = [.. InjectionCharacters],
        InjectionEscapeCharacter = '\'',
    };

    /// <summary>A header row, then one record per item written by <paramref name="writeRecord"/>, as UTF-8 bytes.</summary>
    public static byte[] Write<T>(IReadOnlyList<string> header, IEnumerable<T> items, Action<CsvWriter, T> writeRecord)
    {
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        using (var csv = new SafeCsvWriter(writer))
        {
            foreach (var name in header)
            {
                csv.WriteField(name);
            }

            csv.NextRecord();
            foreach (var item in items)
            {
                writeRecord(csv, item);
                csv.NextRecord();
            }
        }

        return stream.ToArray();
    }

    /// <summary>Escapes everything that starts with an injection character except a plain negative number
    /// such as <c>-0.25</c> (a falling Δ%): it cannot be a formula and stays a number for the spreadsheet.</summary>
    private sealed class SafeCsvWriter(TextWriter writer) : CsvWriter(writer, TerminalCsv.Configuration)
    {
        private const NumberStyles PlainNumber = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

        protected override string? SanitizeForInjection(string? field) =>
            field is ['-', _, ..] && double.TryParse(field, PlainNumber, CultureInfo.InvariantCulture, out _) ? field : base.SanitizeForInjection(field);
    }
}
