using Bunit;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Shell;
using Terminal.Web.Features.Trends;

namespace Terminal.Tests.Web.Features.Trends;

public sealed class HelpPageTests : BunitTestBase
{
    [Fact]
    public void ShowsEveryDefinitionOfNumbersMd_AsATableRow()
    {
        var page = Render<HelpPage>();

        var rows = page.FindAll("[data-table=definitions] tbody tr");
        // Body rows of every table: table lines that are neither a separator nor the header just above one.
        var lines = TrendDocumentation.Markdown.Split('\n');
        static bool IsTable(string l) => l.TrimStart().StartsWith("| ", StringComparison.Ordinal);
        static bool IsSeparator(string l) => l.Contains("---", StringComparison.Ordinal);
        var documented = lines.Where((l, i) => IsTable(l) && !IsSeparator(l) && !(i + 1 < lines.Length && IsSeparator(lines[i + 1]))).Count();
        rows.Should().HaveCount(documented);
        rows.Select(r => r.QuerySelector("td")!.TextContent).Should().Contain(["velocity v_w(e)", "heat (0–100)", "under-clipped score (0–100)"]);
    }

    [Fact]
    public void KeepsPipesInsideFormulas_AndRendersCode()
    {
        var page = Render<HelpPage>();

        var percentile = page.FindAll("[data-table=definitions] tbody tr").Single(r => r.TextContent.StartsWith("percentile rank", StringComparison.Ordinal));
        percentile.QuerySelectorAll("td").Should().HaveCount(2);
        percentile.QuerySelector("code")!.TextContent.Should().Be("100 × |{x ≤ v}| / N");
    }

    [Fact]
    public void ListsEveryMnemonicOfTheCommandBar()
    {
        var page = Render<HelpPage>();

        page.FindAll("[data-table=functions] tbody tr").Select(r => r.GetAttribute("data-mnemonic"))
            .Should().Equal(TerminalFunctions.All.Select(f => f.Mnemonic))
            .And.Contain(["TRND", "CRTR", "CLIP", "ACCT", "API", "ADMIN", "INSG", "HELP"]);
        page.Find("[data-table=functions] tr[data-mnemonic=CRTR]").TextContent.Should().Contain("<handle>");
    }

    [Fact]
    public void HasTheKeysCheatSheet()
    {
        var page = Render<HelpPage>();

        var keys = page.FindAll("#keys [data-table=keys] tbody tr[data-key]").Select(r => r.GetAttribute("data-key")).ToList();
        keys.Should().HaveCount(TrndKeys.Global.Count + TrndKeys.Trnd.Count).And.Contain(["?", "P", "1  2  3  4"]);
    }

    [Fact]
    public void DocumentsWatchlistsAlertsAndReports_WithEveryRuleKindAndScope()
    {
        var page = Render<HelpPage>();

        var rows = page.FindAll("[data-table=definitions] tbody tr")
            .ToDictionary(r => r.QuerySelector("td")!.TextContent, r => r.QuerySelectorAll("td")[1].TextContent);
        rows.Keys.Should().Contain(["watchlist", "watchlist as TRND filter", "ticker tape source", "rule kinds", "scope", "evaluation", "webhook signature", "reports"]);
        // A new rule kind or scope must be documented: every wire name appears in its row.
        rows["rule kinds"].Should().ContainAll(Terminal.Core.Alerts.AlertKinds.WireNames);
        rows["scope"].Should().ContainAll(Enum.GetNames<Terminal.Core.Alerts.AlertScopeType>().Select(n => n.ToLowerInvariant() + ":"));
        rows["webhook signature"].Should().Contain(Terminal.Web.Features.Alerts.WebhookSignature.Header);
    }
}
