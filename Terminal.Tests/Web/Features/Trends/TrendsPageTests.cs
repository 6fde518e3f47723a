using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Shell;
using Terminal.Web.Features.Trends;

namespace Terminal.Tests.Web.Features.Trends;

public sealed class TrendsPageTests : BunitTestBase
{
    private readonly FakeTrendTicker _ticker = new();

    // The engine's current ranking, which a panel shows as soon as it (re)subscribes, before the next tick.
    private readonly StubTrendReader _reader = new();
    private readonly FakeMarketQueries _queries = new();

    public TrendsPageTests()
    {
        Services.AddSingleton<ITrendTicker>(_ticker);
        Services.AddSingleton<IMarketStatus>(new FakeMarketStatus { IsDemo = true });
        Services.AddSingleton<ITrendReader>(_reader);
        Services.AddSingleton<IMarketQueries>(_queries);
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        Services.AddSingleton<Terminal.Core.Insights.IOpportunityGapSource>(new Terminal.Tests.Web.Features.Trends.FixedGaps());
        Services.AddSingleton(new Terminal.Web.Features.Watchlists.WatchlistEditor(Unused.Of<Terminal.Core.Alerts.IWatchlistStore>(), TimeProvider.System));
    }

    [Fact]
    public void Panels_SubscribeToTheirTopics_AndFollowThePeriod()
    {
        Render<MudPopoverProvider>();
        var page = Render<TrendsPage>();
        // The creator grid and the under-clipped screener both follow the creator ranking.
        _ticker.Topics.Should().BeEquivalentTo("trends:creators:all:24h", "trends:creators:all:24h", "trends:topics:all:24h", "trends:clips:all:24h");
        page.Find("[data-screen=trnd]").GetAttribute("data-interactive").Should().Be("true");
        page.Find(".demo-badge").TextContent.Should().Contain("DEMO");

        page.FindAll(".fb-period .mud-toggle-item").Single(b => b.TextContent.Trim() == "7d").Click();

        page.WaitForAssertion(() => _ticker.Topics.Should().BeEquivalentTo("trends:creators:all:7d", "trends:creators:all:7d", "trends:topics:all:7d", "trends:clips:all:7d"));
    }

    [Fact]
    public void EnterOnACreator_OpensTheCreatorPage()
    {
        var page = Render<TrendsPage>();
        _ticker.Push("trends:creators:all:24h", TrendItems.Creator(1, "maxcast", 100));
        page.WaitForAssertion(() => page.FindAll("[data-panel=creator] tr[data-row]").Should().HaveCount(1));

        var grid = page.Find("[data-panel=creator] [data-arrow-nav]");
        grid.KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "ArrowDown" });
        page.Find("[data-panel=creator] [data-arrow-nav]").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });

        var nav = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => nav.Uri.Should().EndWith("/crtr/maxcast?period=24h")); // CRTR opens on the period TRND was on
    }

    [Fact]
    public void TheAddress_RestoresFiltersPeriodAndSelectedRow()
    {
        var nav = Services.GetRequiredService<NavigationManager>();
        nav.NavigateTo("/trnd?period=7d&platform=tiktok&q=zoe&sel=creator:20");
        Render<MudPopoverProvider>();

        _reader.Items = [TrendItems.Creator(1, "zoe-top", 900), TrendItems.Creator(2, "zoeplays", 100)];
        var page = Render<TrendsPage>();
        _ticker.Topics.Should().Contain("trends:creators:tiktok:7d");
        page.Find(".fb-search input").GetAttribute("value").Should().Be("zoe");
        _ticker.Push("trends:creators:tiktok:7d", TrendItems.Creator(1, "zoe-top", 900), TrendItems.Creator(2, "zoeplays", 100));

        // The bookmarked row is charted, not the top one the page would pick by itself.
        page.WaitForAssertion(() => page.Find("[data-panel=chart] .panel-title").TextContent.Should().Be("creator · zoeplays"));
        page.Find("[data-panel=creator] tr[data-selected='true'] td.name").TextContent.Should().Be("zoeplays");
    }

    [Fact]
    public void ChangingThePeriodOrTheSelection_WritesThemIntoTheAddress()
    {
        var nav = Services.GetRequiredService<NavigationManager>();
        Render<MudPopoverProvider>();
        _reader.Items = [TrendItems.Creator(1, "maxcast", 300), TrendItems.Creator(2, "zoeplays", 100)];
        var page = Render<TrendsPage>();
        _ticker.Push("trends:creators:all:24h", TrendItems.Creator(1, "maxcast", 300), TrendItems.Creator(2, "zoeplays", 100));
        page.WaitForAssertion(() => nav.Uri.Should().Contain("sel=creator%3A10"));

        page.FindAll(".fb-period .mud-toggle-item").Single(b => b.TextContent.Trim() == "30d").Click();
        page.Find("[data-panel=creator] tr[data-row='20']").Click();

        page.WaitForAssertion(() => nav.Uri.Should().Contain("period=30d").And.Contain("sel=creator%3A20"));
        ((Bunit.TestDoubles.BunitNavigationManager)nav).History.First().Options.ReplaceHistoryEntry.Should().BeTrue("a filter tweak is not a new page");
    }

    [Fact]
    public void ASearchThatRemovesTheChartedCreator_ChartsTheNewTopOne()
    {
        Render<MudPopoverProvider>();
        _reader.Items = [TrendItems.Creator(1, "maxcast", 300), TrendItems.Creator(2, "zoeplays", 100)];
        var page = Render<TrendsPage>();
        _ticker.Push("trends:creators:all:24h", TrendItems.Creator(1, "maxcast", 300), TrendItems.Creator(2, "zoeplays", 100));
        page.WaitForAssertion(() => page.Find("[data-panel=chart] .panel-title").TextContent.Should().Be("creator · maxcast"));

        page.Find(".fb-search input").Input("zoe");
        Services.GetRequiredService<TimeProvider>().As<FakeTimeProvider>().Advance(TimeSpan.FromMilliseconds(300)); // the search box's debounce

        page.WaitForAssertion(() => page.Find("[data-panel=chart] .panel-title").TextContent.Should().Be("creator · zoeplays"), TimeSpan.FromSeconds(5));
        page.FindAll("[data-panel=creator] tr[data-row] td.name").Select(td => td.TextContent).Should().Equal("zoeplays");
    }

    [Fact]
    public void TopCreator_IsChartedOnFirstLoad_AndTheUsersPickIsKept()
    {
        var page = Render<TrendsPage>();
        page.Find("[data-panel=chart] .panel-title").TextContent.Should().Be("Chart", "no ranking has arrived yet");

        _ticker.Push("trends:creators:all:24h", TrendItems.Creator(1, "maxcast", 300), TrendItems.Creator(2, "zoeplays", 100));

        page.WaitForAssertion(() => page.Find("[data-panel=chart] .panel-title").TextContent.Should().Be("creator · maxcast"));
        page.Find("[data-panel=creator] tr[data-selected='true'] td.name").TextContent.Should().Be("maxcast");

        page.Find("[data-panel=creator] tr[data-row='20']").Click();
        page.WaitForAssertion(() => page.Find("[data-panel=chart] .panel-title").TextContent.Should().Be("creator · zoeplays"));

        // The next tick re-ranks the creators; the user's pick stays charted.
        Services.GetRequiredService<TimeProvider>().As<FakeTimeProvider>().Advance(TimeSpan.FromSeconds(1));
        _ticker.Push("trends:creators:all:24h", TrendItems.Creator(1, "zoeplays", 900) with { Id = 20 }, TrendItems.Creator(2, "maxcast", 100) with { Id = 10 });
        page.WaitForAssertion(() => page.Find("[data-panel=creator] tr[data-row] td.name").TextContent.Should().Be("zoeplays"));
        page.Find("[data-panel=chart] .panel-title").TextContent.Should().Be("creator · zoeplays");
        page.Find("[data-panel=creator] tr[data-selected='true'] td.name").TextContent.Should().Be("zoeplays");
    }

    [Theory]
    [InlineData("1", "period=1h")]
    [InlineData("3", "period=7d")]
    [InlineData("4", "period=30d")]
    public async Task NumberKeys_PickThePeriod(string key, string query)
    {
        var nav = Services.GetRequiredService<NavigationManager>();
        Render<MudPopoverProvider>();
        var page = Render<TrendsPage>();

        await page.InvokeAsync(() => page.Instance.OnScreenKey(key));

        page.WaitForAssertion(() => nav.Uri.Should().Contain(query));
        _ticker.Topics.Should().Contain($"trends:creators:all:{query["period=".Length..]}");
    }

    [Fact]
    public async Task P_CyclesThePlatform_BackToAll()
    {
        var nav = Services.GetRequiredService<NavigationManager>();
        Render<MudPopoverProvider>();
        var page = Render<TrendsPage>();

        var seen = new List<string>();
        foreach (var _ in Enumerable.Range(0, 4))
        {
            await page.InvokeAsync(() => page.Instance.OnScreenKey("p"));
            seen.Add(nav.Uri.Contains("platform=", StringComparison.Ordinal) ? nav.Uri[(nav.Uri.IndexOf("platform=", StringComparison.Ordinal) + 9)..].Split('&')[0] : "all");
        }

        seen.Should().Equal("tiktok", "instagram", "youtube", "all");
    }

    [Fact]
    public async Task QuestionMark_OpensTheKeysCheatSheet()
    {
        var provider = Render<MudDialogProvider>();
        var page = Render<TrendsPage>();

        await page.InvokeAsync(() => page.Instance.OnScreenKey("?"));

        provider.WaitForAssertion(() => provider.FindAll("[data-table=keys] tbody tr[data-key]").Should().HaveCount(TrndKeys.Global.Count + TrndKeys.Trnd.Count));
        provider.Markup.Should().Contain("P").And.Contain("Period 1h");
    }

    [Fact]
    public async Task ArrowKeys_FromThePage_MoveTheSelectedRow()
    {
        Render<MudPopoverProvider>();
        var page = Render<TrendsPage>();
        _ticker.Push("trends:creators:all:24h", TrendItems.Creator(1, "maxcast", 300), TrendItems.Creator(2, "zoeplays", 100));
        page.WaitForAssertion(() => page.Find("[data-panel=chart] .panel-title").TextContent.Should().Be("creator · maxcast"));

        await page.InvokeAsync(() => page.Instance.OnScreenKey("ArrowDown"));

        page.WaitForAssertion(() => page.Find("[data-panel=chart] .panel-title").TextContent.Should().Be("creator · zoeplays"));
        page.Find("[data-panel=creator] tr[data-selected='true'] td.name").TextContent.Should().Be("zoeplays");
    }

    [Fact]
    public void EnterOnATrendingClip_OpensItsSourceVodInClip_AtTheClipsRange()
    {
        var vod = Guid.Parse("3f2b8a62-0d4e-4f0a-9a57-8d0c2b6c1a11");
        _queries.ClipSources[10] = new ClipSource(vod, 12.5, 31.04);
        var page = Render<TrendsPage>();
        _ticker.Push("trends:clips:all:24h", TrendItems.Creator(1, "best moment", 100));
        page.WaitForAssertion(() => page.FindAll("[data-panel=clip] tr[data-row]").Should().HaveCount(1));

        page.Find("[data-panel=clip] tr[data-row='10']").DoubleClick();

        var nav = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => nav.Uri.Should().EndWith($"/clip/{vod}?in=12.5&out=31.04"));
    }

    [Fact]
    public void EnterOnAClipWithoutAKnownSource_StaysAndSaysSo()
    {
        var page = Render<TrendsPage>();
        Render<MudSnackbarProvider>();
        _ticker.Push("trends:clips:all:24h", TrendItems.Creator(1, "orphan clip", 100));
        page.WaitForAssertion(() => page.FindAll("[data-panel=clip] tr[data-row]").Should().HaveCount(1));

        page.Find("[data-panel=clip] tr[data-row='10']").DoubleClick();

        var nav = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Services.GetRequiredService<ISnackbar>().ShownSnackbars.Should().ContainSingle(s => s.Message != null && s.Message.Contains("orphan clip")));
        nav.Uri.Should().NotContain("/clip/");
    }
}
