using Microsoft.Playwright;
using Terminal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Terminal.Tests.Browser;

/// <summary>
/// The real thing end to end: Kestrel on a loopback port with the demo feed on, Chromium logs in
/// through the form, lands on TRND and watches the ticker tape move.
/// </summary>
[Trait("Category", "Browser")]
public sealed class TrndBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private BrowserSession _app = default!;

    // A small market so the backfill is quick on 2 cores.
    public async Task InitializeAsync() => _app = await BrowserSession.StartDemoAsync(creators: 60, clippers: 30, clipsPerCreator: 4, tickIntervalMilliseconds: 500);

    public Task DisposeAsync() => _app?.DisposeAsync().AsTask() ?? Task.CompletedTask;

    [Fact]
    public async Task LogIn_ThroughTheForm_LandsOnTrnd_AndTheTickerMoves()
    {
        var email = await _app.RegisterAsync("trader");
        var page = await _app.NewPageAsync();
        var errors = BrowserSession.CollectErrors(page, pageErrors: false);

        // An anonymous visit lands on the log-in page and comes back afterwards (SPEC §2).
        var toInteractive = await _app.SignInAsync(page, email, "/trnd", "trnd");
        output.WriteLine($"TRND interactive {toInteractive.TotalMilliseconds:0} ms after submitting the log-in form");
        await page.Locator("[data-statusbar] [data-demo]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });

        // The tape fills from the live feed, then changes while we watch.
        var tape = page.Locator("[data-ticker]");
        await page.Locator("[data-ticker-item]").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        var first = await tape.GetAttributeAsync("data-ticks");
        var firstText = await tape.InnerTextAsync();
        await Wait.UntilAsync(async () => await tape.GetAttributeAsync("data-ticks") != first && await tape.InnerTextAsync() != firstText,
            TimeSpan.FromSeconds(30), "the ticker tape shows a newer tick with different content");

        // Selecting a creator charts it with the npm-built ApexCharts bundle.
        await page.Locator("[data-panel=creator] tr[data-row]").First.ClickAsync();
        await page.Locator("[data-chart=trnd-series] .apexcharts-canvas").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

        var shot = Path.Combine(AppContext.BaseDirectory, "docs", "screenshot.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot });
        output.WriteLine($"screenshot: {shot}");

        errors.Should().BeEmpty("the browser console should stay clean");
    }

    [Fact]
    public async Task ScreenKeys_WorkWithoutAClick_AndNotWhileTyping()
    {
        var page = await _app.SignedInPageAsync(await _app.RegisterAsync("keys"), "/trnd", "trnd");

        // No click anywhere: the keys go to the page.
        await page.Keyboard.PressAsync("3");
        await page.WaitForURLAsync("**period=7d**", new PageWaitForURLOptions { Timeout = 10_000 });
        await page.Keyboard.PressAsync("p");
        await page.WaitForURLAsync("**platform=tiktok**", new PageWaitForURLOptions { Timeout = 10_000 });

        await page.Keyboard.PressAsync("F3");
        (await page.EvaluateAsync<string?>("document.activeElement?.getAttribute('data-focus-key')")).Should().Be("F3");

        await page.Keyboard.PressAsync("?");
        await page.Locator("[data-table=keys]").WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        // MudBlazor hooks the dialog's Escape key a moment after it shows: an Escape sent in that moment is lost, so press again.
        for (var attempt = 0; ; attempt++)
        {
            await page.Keyboard.PressAsync("Escape");
            try
            {
                await page.Locator(".mud-dialog-container").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached, Timeout = 2_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 4)
            {
            }
        }

        // Typing a digit in the search box searches; it does not change the period.
        await page.Locator(".fb-search input").FillAsync("");
        await page.Locator(".fb-search input").PressSequentiallyAsync("1");
        await page.WaitForURLAsync("**q=1**", new PageWaitForURLOptions { Timeout = 10_000 });
        page.Url.Should().Contain("period=7d");
    }
}
