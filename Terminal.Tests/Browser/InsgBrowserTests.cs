using Microsoft.Playwright;

namespace Terminal.Tests.Browser;

/// <summary>
/// INSG in a real Chromium over a small demo market: the opportunity map is drawn by ApexCharts as
/// bubbles (the wrapper's scatter/bubble mode), its tooltip names the topic, and nothing logs an error.
/// </summary>
[Trait("Category", "Browser")]
public sealed class InsgBrowserTests : IAsyncLifetime
{
    private BrowserSession _app = default!;

    public async Task InitializeAsync() => _app = await BrowserSession.StartDemoAsync(creators: 60, clippers: 30, clipsPerCreator: 4);

    public Task DisposeAsync() => _app?.DisposeAsync().AsTask() ?? Task.CompletedTask;

    [Fact]
    public async Task OpportunityMap_IsDrawnAsBubbles_WithTheTopicInTheTooltip()
    {
        var email = await _app.RegisterAsync("insg");
        var page = await _app.NewPageAsync();
        var errors = BrowserSession.CollectErrors(page);
        // INSG has no data-interactive flag: the map's bubbles below are what is waited for.
        await _app.SignInAsync(page, email, "/insg", screen: null);

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
