using System.Diagnostics;
using System.Net.Http.Json;
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
    private readonly TerminalWebFactory _factory = new();
    private Uri _base = default!;
    private IPlaywright _playwright = default!;
    private IBrowser _browser = default!;

    public async Task InitializeAsync()
    {
        _factory.Settings["Terminal:DemoFeed:Enabled"] = "true";
        // A small market so the backfill is quick on 2 cores.
        _factory.Settings["Terminal:DemoFeed:Creators"] = "60";
        _factory.Settings["Terminal:DemoFeed:Clippers"] = "30";
        _factory.Settings["Terminal:DemoFeed:ClipsPerCreator"] = "4";
        _factory.Settings["Terminal:DemoFeed:VodsPerCreator"] = "1";
        _factory.Settings["Terminal:DemoFeed:HistoryDays"] = "2";
        _factory.Settings["Terminal:DemoFeed:FutureDays"] = "1";
        _factory.Settings["Terminal:DemoFeed:TickIntervalMilliseconds"] = "500";
        _base = _factory.StartRealServer();
        (_playwright, _browser) = await SystemChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await SystemChromium.CloseAsync(_playwright, _browser);
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task LogIn_ThroughTheForm_LandsOnTrnd_AndTheTickerMoves()
    {
        var email = $"trader-{Guid.NewGuid():N}@test.local";
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

        // An anonymous visit lands on the log-in page and comes back afterwards (SPEC §2).
        await page.GotoAsync(new Uri(_base, "/trnd").ToString());
        await page.WaitForURLAsync("**/login?returnUrl=*");
        await page.FillAsync("input[type=email][autocomplete=username]", email);
        await page.FillAsync("input[type=password]", password);
        var clock = Stopwatch.StartNew();
        await page.PressAsync("input[type=password]", "Enter");

        await page.WaitForURLAsync("**/trnd");
        await page.Locator("[data-screen=trnd][data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        output.WriteLine($"TRND interactive {clock.ElapsedMilliseconds} ms after submitting the log-in form");
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
        var email = $"keys-{Guid.NewGuid():N}@test.local";
        const string password = "Passw0rd!x";
        using (var http = new HttpClient { BaseAddress = _base })
        {
            (await http.PostAsJsonAsync("/api/auth/register", new { email, password })).EnsureSuccessStatusCode();
        }

        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 900 } });
        await page.GotoAsync(new Uri(_base, "/trnd").ToString());
        await page.WaitForURLAsync("**/login?returnUrl=*");
        await page.FillAsync("input[type=email][autocomplete=username]", email);
        await page.FillAsync("input[type=password]", password);
        await page.PressAsync("input[type=password]", "Enter");
        await page.WaitForURLAsync("**/trnd**");
        await page.Locator("[data-screen=trnd][data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

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
