using System.Net.Http.Json;
using FluentAssertions;
using Microsoft.Playwright;
using Terminal.Tests.Jobs.RealMarket;
using Xunit;
using Xunit.Abstractions;
using static Terminal.Tests.Jobs.RealMarket.YouTubeFake;

namespace Terminal.Tests.Browser;

/// <summary>
/// The terminal on real data alone (SPEC §9): Kestrel with <c>Terminal:DemoFeed:Enabled=false</c> and
/// YouTube faked in its wire format; an admin adds a channel by handle through the API, and a user's
/// Chromium sees that channel on TRND with no DEMO label anywhere.
/// </summary>
[Trait("Category", "Browser")]
public sealed class RealMarketBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly Channel Beast = new("UCX6OQ3DkcsbYNE6H8uQQuVA", "mrbeast", "MrBeast", 50_000_000_000, 300_000_000, 800);
    private readonly YouTubeMarketFactory _factory = new();
    private BrowserSession _app = default!;

    public async Task InitializeAsync()
    {
        _factory.Settings["Terminal:DemoFeed:Enabled"] = "false";
        ValidKey(_factory.YouTube);
        Handle(_factory.YouTube, Beast);
        Statistics(_factory.YouTube, [Beast]);
        Uploads(_factory.YouTube, Beast, []);
        Videos(_factory.YouTube, []);
        _app = await BrowserSession.StartAsync(_factory);
    }

    public Task DisposeAsync() => _app?.DisposeAsync().AsTask() ?? Task.CompletedTask;

    [Fact]
    public async Task Trnd_WithTheDemoOff_ShowsTheMonitoredYouTubeChannel_AndNoDemoLabel()
    {
        // Over the real port (the factory's own clients talk to an in-memory server).
        using var admin = new HttpClient { BaseAddress = _app.Base };
        (await admin.PostAsJsonAsync("/api/auth/register", new { email = Terminal.Tests.Infrastructure.TerminalWebFactory.AdminEmail, password = "Passw0rd!x" })).EnsureSuccessStatusCode();
        await _factory.GrantAdminAsync(Terminal.Tests.Infrastructure.TerminalWebFactory.AdminEmail);
        var token = await Terminal.Tests.Infrastructure.TerminalWebFactory.LoginAsync(admin, Terminal.Tests.Infrastructure.TerminalWebFactory.AdminEmail, "Passw0rd!x");
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        (await admin.PutAsJsonAsync("/api/market/sources/youtube", new { apiKey = Key })).EnsureSuccessStatusCode();
        var created = await admin.PostAsJsonAsync("/api/market/creators", new { platform = "youtube", handle = "@mrbeast", topic = "Challenges" });
        created.EnsureSuccessStatusCode();
        var creatorId = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt32();
        var page = await _app.SignedInPageAsync(await _app.RegisterAsync("analyst"), "/trnd", "trnd");

        var row = page.Locator($"[data-panel=creator] tr[data-row='{creatorId}']");
        await row.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        var text = await row.InnerTextAsync();
        output.WriteLine($"TRND row: {text}");

        text.Should().ContainEquivalentOf("mrbeast");
        (await page.Locator("[data-statusbar] [data-demo]").CountAsync()).Should().Be(0, "no demo data is on screen");
        (await page.Locator("[data-screen=trnd]").InnerTextAsync()).Should().NotContain("DEMO");
    }
}
