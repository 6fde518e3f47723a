using System.Net.Http.Json;
using Microsoft.Playwright;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Browser;

/// <summary>
/// INSG in a real Chromium over a small demo market: the opportunity map is drawn by ApexCharts as
/// bubbles (the wrapper's scatter/bubble mode), its tooltip names the topic, and nothing logs an error.
/// </summary>
[Trait("Category", "Browser")]
public sealed class InsgBrowserTests : IAsyncLifetime
{
    private readonly TerminalWebFactory _factory = new();
    private Uri _base = default!;
    private IPlaywright _playwright = default!;
    private IBrowser _browser = default!;

    public async Task InitializeAsync()
    {
        _factory.Settings["Terminal:DemoFeed:Enabled"] = "true";
        _factory.Settings["Terminal:DemoFeed:Creators"] = "60";
        _factory.Settings["Terminal:DemoFeed:Clippers"] = "30";
        _factory.Settings["Terminal:DemoFeed:ClipsPerCreator"] = "4";
        _factory.Settings["Terminal:DemoFeed:VodsPerCreator"] = "1";
        _factory.Settings["Terminal:DemoFeed:HistoryDays"] = "2";
        _factory.Settings["Terminal:DemoFeed:FutureDays"] = "1";
        _base = _factory.StartRealServer();
        (_playwright, _browser) = await SystemChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await SystemChromium.CloseAsync(_playwright, _browser);
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task OpportunityMap_IsDrawnAsBubbles_WithTheTopicInTheTooltip()
    {
        var email = $"insg-{Guid.NewGuid():N}@test.local";
        const string password = "Passw0rd!x";
        using (var http = new HttpClient { BaseAddress = _base })
        {
            (await http.PostAsJsonAsync("/api/auth/register", new { email, password })).EnsureSuccessStatusCode();
        }

        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 900 } });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync(new Uri(_base, "/insg").ToString());
        await page.WaitForURLAsync("**/login?returnUrl=*");
        await page.FillAsync("input[type=email][autocomplete=username]", email);
        await page.FillAsync("input[type=password]", password);
        await page.PressAsync("input[type=password]", "Enter");
        await page.WaitForURLAsync("**/insg");

        var bubbles = page.Locator("[data-chart=opportunity-map] .apexcharts-series-bubble .apexcharts-marker");
        await bubbles.First.WaitForAsync(new LocatorWaitForOptions { Timeout = 90_000 });
        // A topic whose views did not grow in the window has no demand and is left off the map.
        var demands = await page.Locator("[data-panel=opportunities] tr[data-topic] td:nth-child(2)").AllInnerTextsAsync();
        demands.Should().NotBeEmpty();
        (await bubbles.CountAsync()).Should().Be(demands.Count(d => d.Trim() != "0"), "one bubble per topic of the table with demand");

        await page.Locator("[data-chart=opportunity-map]").ScrollIntoViewIfNeededAsync();
        var box = (await bubbles.Last.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + (box.Width / 2), box.Y + (box.Height / 2));
        var tip = page.Locator("[data-chart=opportunity-map] .apexcharts-tooltip .tchart-tip");
        await tip.WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        (await tip.InnerTextAsync()).Should().Contain("gap").And.Contain("supply");
        errors.Should().BeEmpty();
    }
}
