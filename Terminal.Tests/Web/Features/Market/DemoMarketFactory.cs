using System.Net.Http.Json;
using System.Text.Json;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Market;

/// <summary>The app with a small, still DEMO market (backfilled, no live movement): numbers stay put while a test reads them.</summary>
public class DemoMarketFactory : TerminalWebFactory
{
    public DemoMarketFactory()
    {
        Settings["Terminal:DemoFeed:Enabled"] = "true";
        Settings["Terminal:DemoFeed:Live"] = "false";
        Settings["Terminal:DemoFeed:Creators"] = "20";
        Settings["Terminal:DemoFeed:Clippers"] = "10";
        Settings["Terminal:DemoFeed:ClipsPerCreator"] = "6";
        Settings["Terminal:DemoFeed:VodsPerCreator"] = "2";
    }

    /// <summary>Waits until the backfill is in (the market health check says live).</summary>
    public async Task WaitForMarketAsync()
    {
        var client = (await AdminClientAsync()).Http;
        await Wait.UntilAsync(async () =>
        {
            using var response = await client.GetAsync("/health");
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            // This market does not tick (Live=false), so after 10 s the feed reads STALE: wait for the state, not the freshness.
            return doc.RootElement.GetProperty("checks").GetProperty("market").GetProperty("data").GetProperty("state").GetString() == "live";
        }, TimeSpan.FromSeconds(60), "the DEMO market is backfilled");
    }

    public async Task<AuthenticatedClient> ReadyUserAsync()
    {
        await WaitForMarketAsync();
        return await CreateUserClientAsync();
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue("GET {0} answered {1}: {2}", url, response.StatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<T?> GetAsync<T>(HttpClient client, string url) => client.GetFromJsonAsync<T>(url);
}
