using System.Net.Http.Json;
using Microsoft.Playwright;
using Terminal.Tests.Infrastructure;
using static Terminal.Tests.Web.Features.Clips.ClipTestData;

namespace Terminal.Tests.Web.Features.Clips;

/// <summary>A clipper cuts a clip through the real UI in Debian's Chromium.</summary>
public sealed class ClipDeskBrowserTests : IAsyncLifetime
{
    private readonly ClipsWebFactory _factory = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await Terminal.Tests.Browser.SystemChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await Terminal.Tests.Browser.SystemChromium.CloseAsync(_playwright, _browser);
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Clipper_MarksWithTheKeyboard_RequestsAndGetsADownload()
    {
        var baseUri = _factory.StartRealServer();
        var email = $"clipper-{Guid.NewGuid():N}@test.local";
        const string password = "Passw0rd!x";
        using (var http = new HttpClient { BaseAddress = baseUri })
        {
            (await http.PostAsJsonAsync("/api/auth/register", new { email, password })).EnsureSuccessStatusCode();
        }

        var vod = await SeedDemoVodAsync(_factory.Services, 20, "Browser VOD");

        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseUri.ToString() });
        await page.GotoAsync($"/login?returnUrl=%2Fclip%2F{vod.Id}");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.PressAsync("#password", "Enter");

        // The desk prepares the demo media, then the editor becomes interactive.
        var editor = page.Locator("[data-testid=clip-editor][data-ready=true]");
        await editor.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await editor.FocusAsync();

        await page.Keyboard.PressAsync("Shift+ArrowRight");
        await page.Keyboard.PressAsync("Shift+ArrowRight");
        await page.Keyboard.PressAsync("i");
        await page.Keyboard.PressAsync("Shift+ArrowRight");
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("o");

        await Assertions.Expect(page.Locator("[data-testid=time-in]")).ToHaveTextAsync("0:00:02.000");
        // The playhead shows the frame at 3.040 s (25 fps): O makes it the clip's last frame, so OUT is its end.
        await Assertions.Expect(page.Locator("[data-testid=time-out]")).ToHaveTextAsync("0:00:03.080");
        await Assertions.Expect(page.Locator("[data-testid=request-cost]")).ToContainTextAsync("1 credit");

        await page.ClickAsync("[data-testid=request-clip]");
        await Assertions.Expect(page.Locator("[data-testid=clip-job][data-status=ready]")).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-testid=download-clip]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasTextString = "is ready" })).ToBeVisibleAsync();
    }
}
