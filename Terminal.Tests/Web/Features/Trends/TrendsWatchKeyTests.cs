using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using Terminal.Core.Alerts;
using Terminal.Core.Market;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Shell;
using Terminal.Web.Features.Trends;

namespace Terminal.Tests.Web.Features.Trends;

/// <summary>TRND's W key: the selected row goes onto a watchlist (issue #14).</summary>
public sealed class TrendsWatchKeyTests(TerminalWebFactory factory) : BunitTestBase, IClassFixture<TerminalWebFactory>
{
    [Fact]
    public async Task W_OnTheSelectedCreator_AddsItToANewWatchlist_AndConfirms()
    {
        var user = await this.SignInToTrendsAsync(factory, new StubTrendReader { Items = [TrendItems.Creator(1, "maxcast", 300)] }, new FakeTimeProvider());
        var store = factory.Services.GetRequiredService<IWatchlistStore>();
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<TrendsPage>();
        page.WaitForAssertion(() => page.Find("[data-panel=chart] .panel-title").TextContent.Should().Be("creator · maxcast"));

        _ = page.InvokeAsync(() => page.Instance.OnScreenKey("W"));

        dialogs.WaitForAssertion(() => dialogs.Find(".mud-dialog input"));
        await dialogs.Find(".mud-dialog input").InputAsync("Hot creators");
        await dialogs.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Add").ClickAsync();

        var lists = await WaitForListsAsync(store, user.UserId);
        lists.Should().ContainSingle().Which.Name.Should().Be("Hot creators");
        lists[0].Items.Should().Equal(new WatchlistItem(EntityKind.Creator, TrendItems.Creator(1, "maxcast", 300).Id, Platform.TikTok));
        var snackbar = Services.GetRequiredService<ISnackbar>();
        page.WaitForAssertion(() => snackbar.ShownSnackbars.Select(s => s.Message).Should().Contain(m => m.Contains("maxcast") && m.Contains("Hot creators")));
    }

    [Fact]
    public async Task W_OnAnUnderClippedRow_ChosenWithTheArrows_AddsThatCreator_NotTheChartedOne()
    {
        var maxcast = TrendItems.Creator(1, "maxcast", 300) with { UnderClippedScore = 40 };
        var zoe = TrendItems.Creator(2, "zoeplays", 200, platform: Platform.YouTube) with { UnderClippedScore = 90 };
        var user = await this.SignInToTrendsAsync(factory, new StubTrendReader { Items = [maxcast, zoe] }, new FakeTimeProvider());
        var store = factory.Services.GetRequiredService<IWatchlistStore>();
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<TrendsPage>();
        page.WaitForAssertion(() => page.Find("[data-panel=chart] .panel-title").TextContent.Should().Be("creator · maxcast"));
        page.WaitForAssertion(() => page.FindAll("[data-panel=underclipped] tr[data-row]").Should().HaveCount(2));

        // The screener lists the best score first: ↓ from nothing selects zoeplays, which the chart follows.
        await page.Find("[data-panel=underclipped] [data-arrow-nav]").KeyDownAsync(new KeyboardEventArgs { Key = "ArrowDown" });
        page.WaitForAssertion(() => page.Find($"[data-panel=underclipped] tr[data-row='{zoe.Id}']").GetAttribute("data-selected").Should().Be("true"));
        page.WaitForAssertion(() => page.Find("[data-panel=chart] .panel-title").TextContent.Should().Be("creator · zoeplays"));
        _ = page.InvokeAsync(() => page.Instance.OnScreenKey("W"));

        dialogs.WaitForAssertion(() => dialogs.Markup.Should().Contain("creator zoeplays"));
        await dialogs.Find(".mud-dialog input").InputAsync("Under-clipped");
        await dialogs.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Add").ClickAsync();

        var lists = await WaitForListsAsync(store, user.UserId);
        lists.Should().ContainSingle().Which.Items.Should().Equal(new WatchlistItem(EntityKind.Creator, zoe.Id, Platform.YouTube));

        // A click selects a row too.
        await page.Find($"[data-panel=underclipped] tr[data-row='{maxcast.Id}']").ClickAsync();
        page.WaitForAssertion(() => page.Find($"[data-panel=underclipped] tr[data-row='{maxcast.Id}']").GetAttribute("data-selected").Should().Be("true"));
    }

    private static async Task<IReadOnlyList<Watchlist>> WaitForListsAsync(IWatchlistStore store, string userId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var lists = await store.ListAsync(userId);
            if (lists.Count > 0 || DateTime.UtcNow > deadline)
            {
                return lists;
            }

            await Task.Delay(50);
        }
    }
}
