using PdfSharp.Fonts;

namespace Terminal.Web.Features.Reports;

/// <summary>
/// PDFsharp 6 has no system fonts on Linux: every face comes from this resolver. The report uses one
/// family, DejaVu Sans (Debian's fonts-dejavu-core; the Dockerfile and test.sh install it), looked up in
/// the usual font folders; italic is simulated.
/// </summary>
public sealed class ReportFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private const string Regular = "DejaVuSans.ttf";
    private const string Bold = "DejaVuSans-Bold.ttf";
    private static readonly Lock Gate = new();
    private static bool _installed;

    private static readonly string[] Folders =
    [
        "/usr/share/fonts/truetype/dejavu",
        "/usr/share/fonts/dejavu",
        "/usr/share/fonts/TTF",
        "/usr/local/share/fonts",
        "/Library/Fonts",
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.Windows), "Fonts"),
    ];

    /// <summary>Sets the resolver once per process (PDFsharp's setting is global).</summary>
    public static void EnsureInstalled()
    {
        lock (Gate)
        {
            if (_installed)
            {
                return;
            }

            _ = Locate(Regular);
            GlobalFontSettings.FontResolver = new ReportFonts();
            _installed = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? Bold : Regular, false, italic);

    public byte[]? GetFont(string faceName) => File.ReadAllBytes(Locate(faceName));

    /// <summary>The file of a DejaVu face; a clear error naming the package when it is missing.</summary>
    public static string Locate(string fileName)
    {
        foreach (var folder in Folders)
        {
            var path = Path.Combine(folder, fileName);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException($"Font {fileName} not found; install DejaVu fonts (Debian: apt-get install fonts-dejavu-core).");
    }
}
