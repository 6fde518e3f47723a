using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Alerts;
using Terminal.Core.Market;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Shell;
using Terminal.Web.Features.Shell;
using Terminal.Web.Features.Watchlists;

namespace Terminal.Tests.Web.Features.Trends;

/// <summary>The WATCH screen (issue #14).</summary>
public sealed class WatchPageTests(TerminalWebFactory factory) : BunitTestBase, IClassFixture<TerminalWebFactory>
{
    [Fact]
    public async Task ListsTheUsersWatchlists_WithCreatorNamesFromTheMarket_AndRemovesAnItem()
    {
        var user = await factory.CreateUserClientAsync();
        var store = factory.Services.GetRequiredService<IWatchlistStore>();
        var list = await store.CreateAsync(user.UserId, "Hot", [new WatchlistItem(EntityKind.Creator, 10, Platform.TikTok), new WatchlistItem(EntityKind.Clip, 7)], DateTime.UtcNow);
        var queries = new FakeMarketQueries();
        queries.Creators.Add(new CreatorSummary(10, "maxcast", "Max", Platform.TikTok, 1, "gaming", false));
        Services.AddSingleton<IMarketQueries>(queries);
        Services.AddSingleton(new WatchlistEditor(store, TimeProvider.System));
        Services.AddSingleton(new TickerSource(factory.Services.GetRequiredService<ITickerWatchlistStore>()));
        AddAuthorization().SetAuthorized(user.Email).SetClaims(new Claim(ClaimTypes.NameIdentifier, user.UserId));

        var page = Render<WatchPage>();

        page.WaitForAssertion(() => page.Find("[data-item='creator:10'] [data-item-name]").TextContent.Should().Be("maxcast"));
        page.Find("[data-list-name]").TextContent.Should().Be("Hot");
        await page.Find("[data-item='creator:10'] button").ClickAsync();

        page.WaitForAssertion(() => page.FindAll("[data-item]").Should().ContainSingle());
        (await store.GetAsync(user.UserId, list.Id))!.Items.Should().Equal(new WatchlistItem(EntityKind.Clip, 7));
    }

    [Fact]
    public void TheWatchMnemonic_OpensTheWatchScreen() =>
        TerminalFunctions.Find("watch")!.Href.Should().Be("/watch");
}
