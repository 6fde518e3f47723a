using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Terminal.Core.Alerts;
using Terminal.Core.Clips;
using Terminal.Core.Market;
using Terminal.Core.MarketSources;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Shell;
using Terminal.Web.Features.Creators;
using Terminal.Web.Features.Watchlists;

namespace Terminal.Tests.Web.Features.Creators;

/// <summary>CRTR's W key: the selected top clip or listed creator goes onto a watchlist, as on TRND (issue #14).</summary>
public sealed class CreatorWatchKeyTests(TerminalWebFactory factory) : BunitTestBase, IClassFixture<TerminalWebFactory>
{
    private static readonly CreatorSummary Quinn = new(7, "quinncast", "Quinn Cast", Platform.YouTube, 3, "Podcast clips", IsDemo: true);
    private static readonly CreatorSummary Zoe = new(8, "zoeplays", "Zoe Plays", Platform.TikTok, 3, "Podcast clips", IsDemo: true);
    private readonly FakeMarketQueries _queries = new();
    private IWatchlistStore _store = null!;
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;

    private async Task<string> SignInAsync()
    {
        var user = await factory.CreateUserClientAsync();
        _store = factory.Services.GetRequiredService<IWatchlistStore>();
        Services.AddSingleton(Unused.Of<IVodRemoval>());
        Services.AddSingleton<IMarketQueries>(_queries);
        Services.AddSingleton<IMarketStatus>(new FakeMarketStatus());
        Services.AddSingleton(Unused.Of<IMarketSourceStore>());
        Services.AddSingleton(new WatchlistEditor(_store, TimeProvider.System));
        AddAuthorization().SetAuthorized(user.Email).SetClaims(new Claim(ClaimTypes.NameIdentifier, user.UserId));
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        _dialogs = Render<MudDialogProvider>();
        return user.UserId;
    }

    private async Task AddToNewListAsync(string name)
    {
        _dialogs.WaitForAssertion(() => _dialogs.Find(".mud-dialog input"));
        await _dialogs.Find(".mud-dialog input").InputAsync(name);
        await _dialogs.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Add").ClickAsync();
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

    [Fact]
    public async Task W_OnASelectedTopClip_AddsTheClipToAWatchlist()
    {
        var userId = await SignInAsync();
        _queries.Creators.Add(Quinn);
        var page = Render<CreatorPage>(p => p.Add(c => c.Handle, "quinncast"));
        page.WaitForAssertion(() => page.Find("[data-panel=top-clips] tr[data-clip-row]"));
        var grid = page.Find("[data-panel=top-clips] [data-arrow-nav]");

        await grid.KeyDownAsync(new KeyboardEventArgs { Key = "W" });
        Services.GetRequiredService<ISnackbar>().ShownSnackbars.Select(s => s.Message).Should().Contain(m => m.StartsWith("Select a clip first", StringComparison.Ordinal));
        _dialogs.FindAll(".mud-dialog").Should().BeEmpty("nothing is selected yet");

        await page.Find("[data-panel=top-clips] tr[data-clip-row='1']").ClickAsync();
        page.Find("[data-panel=top-clips] tr[data-clip-row='1']").GetAttribute("data-selected").Should().Be("true");
        // The dialog awaits the user: the key's handler finishes once it closes.
        var pressed = page.Find("[data-panel=top-clips] [data-arrow-nav]").KeyDownAsync(new KeyboardEventArgs { Key = "w" });
        _dialogs.WaitForAssertion(() => _dialogs.Markup.Should().Contain("clip quinncast: the take"));
        await AddToNewListAsync("Best clips");
        await pressed.WaitAsync(TimeSpan.FromSeconds(10));

        var list = (await WaitForListsAsync(_store, userId)).Should().ContainSingle().Subject;
        list.Name.Should().Be("Best clips");
        list.Items.Should().Equal(new WatchlistItem(EntityKind.Clip, 1, Platform.TikTok));
    }

    [Fact]
    public async Task W_OnACreatorOfTheSearchList_ChosenWithTheArrows_AddsThatCreator()
    {
        var userId = await SignInAsync();
        _queries.Creators.Add(Quinn);
        _queries.Creators.Add(Zoe);
        var page = Render<CreatorPage>();
        page.WaitForAssertion(() => page.FindAll("[data-creator-list] tr[data-creator-row]").Should().HaveCount(2));

        await page.Find("[data-creator-list]").KeyDownAsync(new KeyboardEventArgs { Key = "ArrowDown" });
        await page.Find("[data-creator-list]").KeyDownAsync(new KeyboardEventArgs { Key = "ArrowDown" });
        page.Find("tr[data-creator-row='8']").GetAttribute("data-selected").Should().Be("true");
        var pressed = page.Find("[data-creator-list]").KeyDownAsync(new KeyboardEventArgs { Key = "W" });
        await AddToNewListAsync("Creators");
        await pressed.WaitAsync(TimeSpan.FromSeconds(10));

        var list = (await WaitForListsAsync(_store, userId)).Should().ContainSingle().Subject;
        list.Items.Should().Equal(new WatchlistItem(EntityKind.Creator, 8, Platform.TikTok));
    }
}
