namespace Terminal.Core.Trends;

/// <summary>
/// The one description of the SPEC §3 numbers (<c>Trends/NUMBERS.md</c>, embedded), shown in the
/// product on the HELP screen so that what users read is what the code documents.
/// </summary>
public static class TrendDocumentation
{
    private static readonly Lazy<string> Text = new(() =>
    {
        using var stream = typeof(TrendDocumentation).Assembly.GetManifestResourceStream("Terminal.Core.Trends.NUMBERS.md")
            ?? throw new InvalidOperationException("NUMBERS.md is not embedded in Terminal.Core.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The Markdown text of the definitions.</summary>
    public static string Markdown => Text.Value;
}
