using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
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

        var json = await user.Http.GetFromJsonAsync<JsonElement>($"/api/reports/{id}/download?format=json");
        json.GetProperty("kind").GetString().Should().Be("creator");
        var jsonKpis = json.GetProperty("kpis").EnumerateArray().ToDictionary(k => k.GetProperty("key").GetString()!, k => k.GetProperty("value").GetDouble());
        foreach (var key in new[] { "followers", "views", "velocity", "clipperCount", "heat", "underClippedScore" })
        {
            jsonKpis[key].Should().BeApproximately(kpis.GetProperty(key).GetDouble(), 1e-9, $"the report's {key} is the API's");
        }
    }

    private static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
