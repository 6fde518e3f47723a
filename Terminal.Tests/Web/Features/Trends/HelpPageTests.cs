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
}

/// <summary>HELP for WATCH, ALRT and ACCT → Reports (issue #14).</summary>
public sealed class HelpWatchAlertsTests : BunitTestBase
{
    [Fact]
    public void HasTheWatchAlrtAndReportsSections()
    {
        var page = Render<HelpPage>();

        page.Find("[data-help=watch]").TextContent.Should().Contain("/trnd?watch=<id>").And.Contain("Ticker tape").And.Contain("Show in ticker");
        page.Find("[data-help=alrt]").TextContent.Should().Contain("hysteresis").And.Contain("cooldown").And.Contain("acknowledge").And.Contain("/ext-api/v1/alerts");
        page.Find("[data-help=signature]").TextContent.Should().Contain("X-Terminal-Signature").And.Contain("HMAC-SHA256");
        page.Find("[data-help=reports]").TextContent.Should().Contain("Weekly").And.Contain("monthly");
    }

    [Fact]
    public void ListsEveryAlertKind_ByItsWireName()
    {
        var page = Render<HelpPage>();

        page.FindAll("[data-table=alert-kinds] tr[data-alert-kind]").Select(r => r.GetAttribute("data-alert-kind"))
            .Should().BeEquivalentTo(Enum.GetValues<Terminal.Core.Alerts.AlertKind>().Select(k => Terminal.Core.Alerts.AlertKinds.ToWire(k)))
            .And.Contain("own_post_outlier");
    }

    [Fact]
    public void ListsEveryScopeType_TheWebhookRetries_AndThePlanLimits()
    {
        var page = Render<HelpPage>();

        var alrt = page.Find("[data-help=alrt]").TextContent;
        alrt.Should().ContainAll(Enum.GetNames<Terminal.Core.Alerts.AlertScopeType>().Select(n => n.ToLowerInvariant() + ":"));
        alrt.Should().Contain("account:all").And.Contain("/enable").And.Contain("8 consecutive failures");
        page.Find("[data-help=plan-limits]").TextContent.Should().Contain("Free 10 / 2").And.Contain("Pro 100 / 10").And.Contain("Enterprise 1,000 / 50");
    }

    [Fact]
    public void TheWatchSectionsKey_IsTheWKeyOfTheCheatSheet_AndTrndReallyBindsIt()
    {
        var page = Render<HelpPage>();

        var row = page.Find("[data-help=watch] tr[data-key]");
        row.GetAttribute("data-key").Should().Be("W");
        row.TextContent.Should().Contain(TrndKeys.Trnd.Single(k => k.Keys == "W").Action);
        TrendsPage.ScreenKeys.Should().Contain(["w", "W"]);
    }

    [Fact]
    public void EverySingleCharacterKeyTrndBinds_IsOnTheCheatSheet()
    {
        var listed = TrndKeys.Trnd.SelectMany(k => k.Keys.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.OrdinalIgnoreCase);

        TrendsPage.ScreenKeys.Where(k => k.Length == 1).Should().OnlyContain(k => listed.Contains(k));
    }
}
