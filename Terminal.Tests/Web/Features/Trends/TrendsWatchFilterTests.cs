using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using Terminal.Core.Alerts;
using Terminal.Core.Market;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Shell;
using Terminal.Web.Features.Trends;

namespace Terminal.Tests.Web.Features.Trends;

/// <summary>A watchlist as a TRND filter (issue #14, SPEC §11): ?watch=id and the filter bar's Watchlist select.</summary>
public sealed class TrendsWatchFilterTests(TerminalWebFactory factory) : BunitTestBase, IClassFixture<TerminalWebFactory>
{
    private readonly FakeTimeProvider _time = new();

    // Three creators (ids 10, 20, 30, all with an under-clipped score) in every ranking the page asks for.
    private readonly StubTrendReader _reader = new()
    {
        Items = [.. new[] { TrendItems.Creator(1, "alpha", 900), TrendItems.Creator(2, "bravo", 500), TrendItems.Creator(3, "charlie", 100) }.Select(i => i with { UnderClippedScore = 0.5 })],
    };

    private IWatchlistStore Store => factory.Services.GetRequiredService<IWatchlistStore>();

    private async Task<string> SignInAsync()
    {
        var user = await this.SignInToTrendsAsync(factory, _reader, _time);
        Render<MudPopoverProvider>();
        return user.UserId;
    }

    private static string[] Names(IRenderedComponent<TrendsPage> page, string panel) =>
        page.FindAll($"[data-panel={panel}] tr[data-row] td.name").Select(td => td.TextContent).ToArray();

    [Fact]
    public async Task WatchParam_LimitsEveryPanelToTheListsEntities_AndAKindTheListLacksSaysSo()
    {
        var userId = await SignInAsync();
        var list = await Store.CreateAsync(userId, "Hot", [new WatchlistItem(EntityKind.Creator, 20, Platform.TikTok)], DateTime.UtcNow);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/trends?watch={list.Id}");

        var page = Render<TrendsPage>();

        page.WaitForAssertion(() => Names(page, "creator").Should().Equal("bravo"));
        page.Find("[data-panel=clip] .empty-note").TextContent.Should().Be("No clips in watchlist ‘Hot’.");
        page.Find("[data-panel=topic] .empty-note").TextContent.Should().Be("No topics in watchlist ‘Hot’.");
        page.WaitForAssertion(() => page.FindAll("[data-panel=underclipped] tr[data-row]").Select(r => r.GetAttribute("data-row")).Should().Equal("20"));
        page.Find(".fb-watch input").GetAttribute("value").Should().Be("Hot");
        page.FindAll("[data-watch-notice]").Should().BeEmpty();
    }

    [Fact]
    public async Task AnotherUsersWatchlist_SaysSo_AndFallsBackToAll()
    {
        var other = await factory.CreateUserClientAsync();
        var foreign = await Store.CreateAsync(other.UserId, "Theirs", [new WatchlistItem(EntityKind.Creator, 20)], DateTime.UtcNow);
        await SignInAsync();
        var nav = Services.GetRequiredService<NavigationManager>();
        nav.NavigateTo($"/trnd?watch={foreign.Id}");

        var page = Render<TrendsPage>();

        page.WaitForAssertion(() => Names(page, "creator").Should().Equal("alpha", "bravo", "charlie"));
        page.Find("[data-watch-notice]").TextContent.Should().Contain($"no watchlist {foreign.Id} among yours").And.Contain("showing All");
        page.WaitForAssertion(() => nav.Uri.Should().NotContain("watch="));
    }

    [Fact]
    public async Task PickingAWatchlist_FiltersThePanels_AndPutsItInTheAddress_AllClearsIt()
    {
        var userId = await SignInAsync();
        var list = await Store.CreateAsync(userId, "Picks", [new WatchlistItem(EntityKind.Creator, 30), new WatchlistItem(EntityKind.Creator, 10)], DateTime.UtcNow);
        var nav = Services.GetRequiredService<NavigationManager>();
        var page = Render<TrendsPage>();
        page.WaitForAssertion(() => Names(page, "creator").Should().HaveCount(3));
        var select = page.FindComponent<MudSelect<long>>();

        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(list.Id));

        page.WaitForAssertion(() => Names(page, "creator").Should().Equal("alpha", "charlie"));
        nav.Uri.Should().Contain($"watch={list.Id}");

        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(0L));

        page.WaitForAssertion(() => Names(page, "creator").Should().HaveCount(3));
        nav.Uri.Should().NotContain("watch=");
    }

    [Fact]
    public async Task AListEditedInWatch_AppliesOnTheNext10sRefresh()
    {
        var userId = await SignInAsync();
        var list = await Store.CreateAsync(userId, "Grow", [new WatchlistItem(EntityKind.Creator, 10)], DateTime.UtcNow);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/trnd?watch={list.Id}");
        var page = Render<TrendsPage>();
        page.WaitForAssertion(() => Names(page, "creator").Should().Equal("alpha"));

        await Store.UpdateAsync(userId, list.Id, "Grow", [new WatchlistItem(EntityKind.Creator, 10), new WatchlistItem(EntityKind.Creator, 30)], DateTime.UtcNow);
        Names(page, "creator").Should().Equal("alpha"); // not before the refresh
        _time.Advance(TimeSpan.FromSeconds(10));

        page.WaitForAssertion(() => Names(page, "creator").Should().Equal("alpha", "charlie"));
    }
}
