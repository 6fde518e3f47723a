using System.Text.RegularExpressions;

namespace Terminal.Tests.Web.Common;

/// <summary>
/// A MudTable below its breakpoint turns each row into a stacked card whose cells have no labels unless every
/// cell sets DataLabel: on a phone ACCT's ledger and ADMIN's jobs became columns of unlabelled values. The
/// terminal keeps its columns with their headers on every screen (the table scrolls sideways instead).
/// </summary>
public sealed partial class TableLayoutConventionTests
{
    [Fact]
    public void EveryMudTable_KeepsItsColumns_OnAPhone()
    {
        var tables = Directory.EnumerateFiles(Path.Combine(Terminal.Tests.Infrastructure.RepositoryRoot.Path, "Terminal.Web"), "*.razor", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .SelectMany(f => MudTableTag().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Tag: m.Value)))
            .ToList();

        tables.Should().NotBeEmpty();
        tables.Where(t => !t.Tag.Contains("Breakpoint=\"Breakpoint.None\"", StringComparison.Ordinal))
            .Select(t => t.File + ": " + t.Tag)
            .Should().BeEmpty("a MudTable without Breakpoint.None stacks into unlabelled cards on a phone");
    }

    [GeneratedRegex(@"<MudTable\s[^>]*>", RegexOptions.Singleline)]
    private static partial Regex MudTableTag();
}
