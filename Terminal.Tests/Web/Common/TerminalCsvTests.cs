using System.Text;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Web.Features.LinkedAccounts;
using Terminal.Web.Features.Trends;

namespace Terminal.Tests.Web.Common;

/// <summary>Every export goes through one CSV configuration with formula-injection protection.</summary>
public sealed class TerminalCsvTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1", "\"'+1\"")]
    [InlineData("-2+3", "\"'-2+3\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("\t=1", "\"'\t=1\"")]
    [InlineData("\r=1", "\"'\r=1\"")]
    public void TrndExport_EscapesANameThatAStylesheetWouldEvaluate(string name, string expectedField)
    {
        var csv = Encoding.UTF8.GetString(TrendRows.ToCsv([new TrendItem(1, 7, name, Platform.TikTok, 10, null, 50, 1, [1, 2])]));

        DataLine(csv).Should().Contain("," + expectedField + ",");
    }

    [Fact]
    public void TrndExport_KeepsNegativeNumbersAsNumbers()
    {
        var csv = Encoding.UTF8.GetString(TrendRows.ToCsv([new TrendItem(1, 7, "plain", Platform.TikTok, 10, -0.25, 50, 1, [1, 2])]));

        DataLine(csv).Should().Be("1,7,plain,tiktok,10,-0.25,50,1,1 2,,false");
    }

    [Fact]
    public void CrmExport_EscapesAFormulaTitle()
    {
        var post = new CrmPost(Platform.YouTube, "=1+1", new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), 10, 1, 0, 0, 0.1, "https://example.test/v");
        var performance = CrmPerformance.Empty with { Posts = [post] };

        var csv = Encoding.UTF8.GetString(CrmCsv.Write(performance));

        DataLine(csv).Should().StartWith("youtube,\"'=1+1\",2026-11-01T00:00:00Z,10,");
    }

    private static string DataLine(string csv) => csv.Split("\r\n")[1];
}
