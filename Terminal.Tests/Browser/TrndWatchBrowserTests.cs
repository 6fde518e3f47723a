using System.Globalization;
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
    private BrowserSession _app = default!;

    public async Task InitializeAsync() => _app = await BrowserSession.StartDemoAsync(creators: 40, clippers: 20, clipsPerCreator: 3, tickIntervalMilliseconds: 500);

    public Task DisposeAsync() => _app?.DisposeAsync().AsTask() ?? Task.CompletedTask;

    [Fact]
    public async Task TrendsWithAWatchParam_ShowsOnlyTheListsRows()
    {
        var email = await _app.RegisterAsync("watcher");
        var page = await _app.SignedInPageAsync(email, "/trnd", "trnd");

        // Pick real rows of the demo market: the 2nd and 4th creators and the 1st clip.
        var creatorRows = page.Locator("[data-panel=creator] tr[data-row]");
        await Wait.UntilAsync(async () => await creatorRows.CountAsync() >= 4, TimeSpan.FromSeconds(60), "the demo market ranks creators");
        var clipRows = page.Locator("[data-panel=clip] tr[data-row]");
        await Wait.UntilAsync(async () => await clipRows.CountAsync() >= 1, TimeSpan.FromSeconds(60), "the demo market ranks clips");
        var creators = new[] { await RowIdAsync(creatorRows.Nth(1)), await RowIdAsync(creatorRows.Nth(3)) };
        var clip = await RowIdAsync(clipRows.First);

        var list = await _app.Factory.Services.GetRequiredService<IWatchlistStore>().CreateAsync(
            await UserIdAsync(email), "Browser picks", [new WatchlistItem(EntityKind.Creator, creators[0]), new WatchlistItem(EntityKind.Creator, creators[1]), new WatchlistItem(EntityKind.Clip, clip)], DateTime.UtcNow);

        await page.GotoAsync(new Uri(_app.Base, $"/trends?watch={list.Id}").ToString());
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
        var email = await _app.RegisterAsync("tape");
        await _app.Factory.Services.GetRequiredService<IWatchlistStore>().CreateAsync(await UserIdAsync(email), "Tape picks", [new WatchlistItem(EntityKind.Creator, 1)], DateTime.UtcNow);
        var page = await _app.SignedInPageAsync(email, "/acct/profile", "acct");
        await Wait.UntilAsync(async () => await page.Locator("[data-ticker]").GetAttributeAsync("data-ticker-source") == "movers", TimeSpan.FromSeconds(30), "the tape shows the movers");

        await page.Locator("[data-panel=ticker-source] .mud-input-control").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "Tape picks" }).ClickAsync();

        await Wait.UntilAsync(async () => await page.Locator("[data-ticker]").GetAttributeAsync("data-ticker-source") == "watch", TimeSpan.FromSeconds(15), "the tape follows ACCT's choice");
        (await page.Locator("[data-ticker-list]").InnerTextAsync()).Should().Be("TAPE PICKS");
        page.Url.Should().EndWith("/acct/profile");
    }

    private async Task<string> UserIdAsync(string email)
    {
        using var scope = _app.Factory.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<TerminalUser>>().FindByEmailAsync(email))!.Id;
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
