using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Terminal.Core.Alerts;
using Terminal.Core.Market;
using Terminal.Data.Accounts;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Browser;

/// <summary>
/// A watchlist as a TRND filter in the browser (issue #14): /trends?watch=id on the demo market shows only
/// the list's creators and clips, and the niche panel says the list holds none.
/// </summary>
[Trait("Category", "Browser")]
public sealed class TrndWatchBrowserTests : IAsyncLifetime
{
    private readonly TerminalWebFactory _factory = new();
    private Uri _base = default!;
    private IPlaywright _playwright = default!;
    private IBrowser _browser = default!;

    public async Task InitializeAsync()
    {
        _factory.Settings["Terminal:DemoFeed:Enabled"] = "true";
        _factory.Settings["Terminal:DemoFeed:Creators"] = "40";
        _factory.Settings["Terminal:DemoFeed:Clippers"] = "20";
        _factory.Settings["Terminal:DemoFeed:ClipsPerCreator"] = "3";
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
    public async Task TrendsWithAWatchParam_ShowsOnlyTheListsRows()
    {
        var email = $"watcher-{Guid.NewGuid():N}@test.local";
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

        // Pick real rows of the demo market: the 2nd and 4th creators and the 1st clip.
        var creatorRows = page.Locator("[data-panel=creator] tr[data-row]");
        await Wait.UntilAsync(async () => await creatorRows.CountAsync() >= 4, TimeSpan.FromSeconds(60), "the demo market ranks creators");
        var clipRows = page.Locator("[data-panel=clip] tr[data-row]");
        await Wait.UntilAsync(async () => await clipRows.CountAsync() >= 1, TimeSpan.FromSeconds(60), "the demo market ranks clips");
        var creators = new[] { await RowIdAsync(creatorRows.Nth(1)), await RowIdAsync(creatorRows.Nth(3)) };
        var clip = await RowIdAsync(clipRows.First);

        string userId;
        using (var scope = _factory.Services.CreateScope())
        {
            userId = (await scope.ServiceProvider.GetRequiredService<UserManager<TerminalUser>>().FindByEmailAsync(email))!.Id;
        }

        var list = await _factory.Services.GetRequiredService<IWatchlistStore>().CreateAsync(
            userId, "Browser picks", [new WatchlistItem(EntityKind.Creator, creators[0]), new WatchlistItem(EntityKind.Creator, creators[1]), new WatchlistItem(EntityKind.Clip, clip)], DateTime.UtcNow);

        await page.GotoAsync(new Uri(_base, $"/trends?watch={list.Id}").ToString());
        await page.Locator("[data-screen=trnd][data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

        // Several ticks go by: the panels keep showing only the list's rows.
        await Wait.UntilAsync(async () => int.Parse(await page.Locator("[data-panel=creator]").GetAttributeAsync("data-updates") ?? "0", CultureInfo.InvariantCulture) >= 3,
            TimeSpan.FromSeconds(30), "the creator panel ticks");
        (await RowIdsAsync(page, "creator")).Should().BeEquivalentTo(creators);
        (await RowIdsAsync(page, "clip")).Should().Equal(clip);
        (await page.Locator("[data-panel=topic] .empty-note").InnerTextAsync()).Should().Be("No topics in watchlist ‘Browser picks’.");
        (await page.Locator(".fb-watch input").InputValueAsync()).Should().Be("Browser picks");
        page.Url.Should().Contain($"watch={list.Id}");
    }

    [Fact]
    public async Task PickingAWatchlistAsTheTickerSourceInAcct_SwitchesTheTapeWithoutAReload()
    {
        var email = $"tape-{Guid.NewGuid():N}@test.local";
        const string password = "Passw0rd!x";
        using (var http = new HttpClient { BaseAddress = _base })
        {
            (await http.PostAsJsonAsync("/api/auth/register", new { email, password })).EnsureSuccessStatusCode();
        }

        string userId;
        using (var scope = _factory.Services.CreateScope())
        {
            userId = (await scope.ServiceProvider.GetRequiredService<UserManager<TerminalUser>>().FindByEmailAsync(email))!.Id;
        }

        await _factory.Services.GetRequiredService<IWatchlistStore>().CreateAsync(userId, "Tape picks", [new WatchlistItem(EntityKind.Creator, 1)], DateTime.UtcNow);
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 900 } });
        await page.GotoAsync(new Uri(_base, "/acct/profile").ToString());
        await page.WaitForURLAsync("**/login?returnUrl=*");
        await page.FillAsync("input[type=email][autocomplete=username]", email);
        await page.FillAsync("input[type=password]", password);
        await page.PressAsync("input[type=password]", "Enter");
        await page.WaitForURLAsync("**/acct**");
        await page.Locator("[data-screen=acct][data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        await Wait.UntilAsync(async () => await page.Locator("[data-ticker]").GetAttributeAsync("data-ticker-source") == "movers", TimeSpan.FromSeconds(30), "the tape shows the movers");

        await page.Locator("[data-panel=ticker-source] .mud-input-control").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "Tape picks" }).ClickAsync();

        await Wait.UntilAsync(async () => await page.Locator("[data-ticker]").GetAttributeAsync("data-ticker-source") == "watch", TimeSpan.FromSeconds(15), "the tape follows ACCT's choice");
        (await page.Locator("[data-ticker-list]").InnerTextAsync()).Should().Be("TAPE PICKS");
        page.Url.Should().EndWith("/acct/profile");
    }

    private static async Task<int> RowIdAsync(ILocator row) =>
        int.Parse((await row.GetAttributeAsync("data-row"))!, CultureInfo.InvariantCulture);

    private static async Task<int[]> RowIdsAsync(IPage page, string panel)
    {
        var ids = new List<int>();
        foreach (var row in await page.Locator($"[data-panel={panel}] tr[data-row]").AllAsync())
        {
            ids.Add(await RowIdAsync(row));
        }

        return [.. ids];
    }
}
