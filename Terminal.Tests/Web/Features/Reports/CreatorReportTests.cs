using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Market;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Market;
using UglyToad.PdfPig;

namespace Terminal.Tests.Web.Features.Reports;

/// <summary>A creator report (kind=creator) over the non-ticking DEMO market: the numbers in its PDF and
/// JSON equal <c>/api/creators/{id}</c>'s for the same period.</summary>
public sealed class CreatorReportTests(DemoMarketFactory factory) : IClassFixture<DemoMarketFactory>
{
    [Fact]
    public async Task CreatorReport_PdfAndJson_CarryTheCreatorApisNumbers()
    {
        var user = await factory.ReadyUserAsync();
        var top = (await DemoMarketFactory.GetJsonAsync(user.Http, "/api/analytics/trends?type=creators&platform=all&period=30d&limit=1")).GetProperty("data")[0];
        var creatorId = top.GetProperty("id").GetInt32();

        var created = await user.Http.PostAsJsonAsync("/api/reports", new { kind = "creator", period = "30d", entityId = creatorId.ToString(CultureInfo.InvariantCulture) });
        created.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await Wait.UntilAsync(async () =>
        {
            var row = (await user.Http.GetFromJsonAsync<JsonElement>("/api/reports")).EnumerateArray().First(r => r.GetProperty("id").GetString() == id);
            row.GetProperty("status").GetString().Should().NotBe("failed", row.ToString());
            return row.GetProperty("status").GetString() == "ready";
        }, TimeSpan.FromSeconds(60), "the creator report is ready");

        var api = await DemoMarketFactory.GetJsonAsync(user.Http, $"/api/creators/{creatorId}?period=30d");
        var kpis = api.GetProperty("kpis");
        kpis.GetProperty("views").GetInt64().Should().BeGreaterThan(0, "the demo creator has views");

        using var document = PdfDocument.Open(await user.Http.GetByteArrayAsync($"/api/reports/{id}/download"));
        var text = string.Join("\n", document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
        text.Should().Contain(api.GetProperty("displayName").GetString()!).And.Contain("Definitions").And.Contain("Top clips");
        text.Should().Contain(Count(kpis.GetProperty("followers").GetInt64()), "the PDF shows the API's followers");
        text.Should().Contain(Count(kpis.GetProperty("views").GetInt64()), "the PDF shows the API's views");
        text.Should().Contain(kpis.GetProperty("velocity").GetDouble().ToString("#,0.0", CultureInfo.InvariantCulture) + "/h", "the PDF shows the API's views/h");
        text.Should().Contain(kpis.GetProperty("heat").GetDouble().ToString("0.0", CultureInfo.InvariantCulture), "the PDF shows the API's heat");
        text.Should().Contain(kpis.GetProperty("underClippedScore").GetDouble().ToString("0.0", CultureInfo.InvariantCulture), "the PDF shows the API's under-clipped score");

        // The tables: the top clips and clippers the creator page (CREA) shows, read from the same market queries for the period.
        var queries = factory.Services.GetRequiredService<IMarketQueries>();
        var clips = await queries.GetTopClipsAsync(creatorId, Period.Month, 10);
        clips.Should().NotBeEmpty("the demo creator has clips");
        foreach (var clip in clips)
        {
            text.Should().Contain(string.Join(' ', clip.Platform.ToWire(), clip.ClipperHandle, clip.PublishedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Count(clip.Views), clip.Velocity.ToString("#,0.0", CultureInfo.InvariantCulture) + "/h"), $"the row of clip {clip.Id} carries its numbers");
        }

        foreach (var clipper in await queries.GetTopClippersAsync(creatorId, Period.Month, 10))
        {
            text.Should().Contain(string.Join(' ', clipper.Handle, clipper.Platform.ToWire(), clipper.Clips.ToString(CultureInfo.InvariantCulture), Count(clipper.Views)));
        }

        // The insights: the creator's market outliers of /api/insights (its platform, the 30d period), effect and interval.
        var outliers = (await DemoMarketFactory.GetJsonAsync(user.Http, $"/api/insights/outliers?scope=market&platform={api.GetProperty("platform").GetString()}&period=30d"))
            .EnumerateArray().Where(o => o.GetProperty("creatorId").GetInt32() == creatorId).Take(5).ToList();
        var insights = text[text.LastIndexOf("Insights", StringComparison.Ordinal)..];
        foreach (var outlier in outliers)
        {
            insights.Should().Contain($"{Ratio(outlier.GetProperty("ratio").GetDouble())} {Ratio(outlier.GetProperty("low").GetDouble())} – {Ratio(outlier.GetProperty("high").GetDouble())}");
        }

        if (outliers.Count == 0)
        {
            insights.Should().Contain("Not enough data for insights in this period.");
        }

        var json = await user.Http.GetFromJsonAsync<JsonElement>($"/api/reports/{id}/download?format=json");
        json.GetProperty("kind").GetString().Should().Be("creator");
        var jsonKpis = json.GetProperty("kpis").EnumerateArray().ToDictionary(k => k.GetProperty("key").GetString()!, k => k.GetProperty("value").GetDouble());
        foreach (var key in new[] { "followers", "views", "velocity", "clipperCount", "heat", "underClippedScore" })
        {
            jsonKpis[key].Should().BeApproximately(kpis.GetProperty(key).GetDouble(), 1e-9, $"the report's {key} is the API's");
        }
    }

    [Fact]
    public async Task MarketReport_TablesAndInsights_CarryTheTrendsAndInsightsApisNumbers()
    {
        var user = await factory.ReadyUserAsync();
        var created = await user.Http.PostAsJsonAsync("/api/reports", new { kind = "market", period = "30d" });
        created.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await Wait.UntilAsync(async () =>
        {
            var row = (await user.Http.GetFromJsonAsync<JsonElement>("/api/reports")).EnumerateArray().First(r => r.GetProperty("id").GetString() == id);
            row.GetProperty("status").GetString().Should().NotBe("failed", row.ToString());
            return row.GetProperty("status").GetString() == "ready";
        }, TimeSpan.FromSeconds(60), "the market report is ready");

        var bytes = await user.Http.GetByteArrayAsync($"/api/reports/{id}/download");
        if (Environment.GetEnvironmentVariable("REPORT_SAMPLE_MARKET_PDF") is { Length: > 0 } sample)
        {
            await File.WriteAllBytesAsync(sample, bytes);
        }

        using var document = PdfDocument.Open(bytes);
        var text = string.Join("\n", document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));

        // Both tables: the top ten of /api/analytics/trends, every number in its row.
        foreach (var type in new[] { "creators", "clips" })
        {
            var rows = (await DemoMarketFactory.GetJsonAsync(user.Http, $"/api/analytics/trends?type={type}&platform=all&period=30d&limit=10")).GetProperty("data").EnumerateArray().ToList();
            rows.Should().NotBeEmpty();
            foreach (var row in rows)
            {
                var change = row.GetProperty("change") is { ValueKind: JsonValueKind.Number } c ? c.GetDouble().ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture) : "—";
                text.Should().Contain(string.Join(' ', row.GetProperty("platform").GetString() ?? "all",
                    row.GetProperty("velocity").GetDouble().ToString("#,0.0", CultureInfo.InvariantCulture) + "/h", change,
                    row.GetProperty("heat").GetDouble().ToString("0.0", CultureInfo.InvariantCulture), row.GetProperty("clipperCount").GetInt32().ToString(CultureInfo.InvariantCulture)),
                    $"the {type} table row of {row.GetProperty("id")} carries the trends API's numbers");
            }
        }

        // The insights: the market's outliers and judged patterns of /api/insights for 30d, effects and intervals.
        var insights = text[text.LastIndexOf("Insights", StringComparison.Ordinal)..];
        var expected = new List<string>();
        var findings = new List<string>();
        foreach (var outlier in (await DemoMarketFactory.GetJsonAsync(user.Http, "/api/insights/outliers?scope=market&period=30d")).EnumerateArray().Take(5))
        {
            findings.Add($"{Count((long)outlier.GetProperty("views").GetDouble())} views vs a baseline of {Count((long)outlier.GetProperty("baseline").GetDouble())}");
            expected.Add($"{Ratio(outlier.GetProperty("ratio").GetDouble())} {Ratio(outlier.GetProperty("low").GetDouble())} – {Ratio(outlier.GetProperty("high").GetDouble())}");
        }

        var patterns = await (await user.Http.PostAsJsonAsync("/api/insights/patterns", new { scope = "market", period = "30d" })).Content.ReadFromJsonAsync<JsonElement>();
        var judged = patterns.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("effect").ValueKind == JsonValueKind.Number)
            .OrderByDescending(f => f.GetProperty("significant").GetBoolean()).ThenByDescending(f => Math.Abs(Math.Log(f.GetProperty("effect").GetDouble()))).Take(6).ToList();
        judged.Should().NotBeEmpty("the demo market plants pattern effects");
        foreach (var f in judged)
        {
            findings.Add($"{f.GetProperty("feature").GetString()} = {f.GetProperty("group").GetString()} ({f.GetProperty("n").GetInt32()} posts)");
            expected.Add(f.GetProperty("low").ValueKind == JsonValueKind.Number
                ? $"{Ratio(f.GetProperty("effect").GetDouble())} {Ratio(f.GetProperty("low").GetDouble())} – {Ratio(f.GetProperty("high").GetDouble())}"
                : $"{Ratio(f.GetProperty("effect").GetDouble())} {f.GetProperty("note").GetString()}");
        }

        foreach (var cells in expected)
        {
            insights.Should().Contain(cells, "every effect and interval of the insights is /api/insights'");
        }

        // A long finding wraps; its second line reads after the row's effect cells, so those are set aside here.
        var findingText = Regex.Replace(insights, @" (\d[\d,]*\.\d\d×|–)(?= |$)", "");
        foreach (var finding in findings)
        {
            findingText.Should().Contain(finding, "the finding's numbers are /api/insights'");
        }
    }

    private static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "×";
}
