using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Market;
using Terminal.Core.MarketSources;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Shell;
using Terminal.Web.Features.Creators;

namespace Terminal.Tests.Web.Features.Creators;

public sealed class CreatorPageTests : BunitTestBase
{
    private static readonly CreatorSummary Quinn = new(7, "quinncast", "Quinn Cast", Platform.YouTube, 3, "Podcast clips", IsDemo: true);
    private readonly FakeMarketQueries _queries = new();

    private readonly FakeMarketStatus _market = new();

    public CreatorPageTests()
    {
        Services.AddSingleton<IMarketQueries>(_queries);
        Services.AddSingleton<IMarketStatus>(_market);
        Services.AddSingleton(Unused.Of<IMarketSourceStore>());
    }

    [Fact]
    public void KnownCreator_ShowsKpis_VodsLinkingToTheClipDesk_AndTopLists()
    {
        _queries.Creators.Add(Quinn);
        var vod = Guid.NewGuid();
        _queries.Vods.Add(new VodListItem(vod, "Ep. 243: money, fame and fear", new DateTime(2026, 11, 18, 21, 0, 0, DateTimeKind.Utc), 3372, null, true, VodStatus.Ready, null));

        var page = Render<CreatorPage>(p => p.Add(c => c.Handle, "QuinnCast"));

        page.WaitForAssertion(() => page.Find("[data-kpis]").TextContent.Should().Contain("2.96M").And.Contain("+25.0%"));
        page.Find("[data-panel=vods] a").GetAttribute("href").Should().Be($"/clip/{vod}");
        page.Find("[data-panel=vods]").TextContent.Should().Contain("TRENDING").And.Contain("56:12");
        page.Find("[data-panel=top-clippers]").TextContent.Should().Contain("fitness.bestof");
        page.Find(".demo-badge").TextContent.Should().Be("DEMO");
    }

    [Fact]
    public void UnknownHandle_ShowsNotFound_WithSuggestions()
    {
        _queries.Creators.Add(Quinn);
        var page = Render<CreatorPage>(p => p.Add(c => c.Handle, "quinn"));
        page.WaitForAssertion(() => page.Find("[data-not-found]").TextContent.Should().Contain("No monitored creator is called quinn"));
        page.Find("[data-not-found] a[href='/crtr/quinncast']").Should().NotBeNull();
    }

    [Fact]
    public void WhenNoMarketSourceRuns_AndNothingIsStored_SaysWhatToDo()
    {
        _market.State = FeedState.Off;
        var page = Render<CreatorPage>();
        page.WaitForAssertion(() => page.Markup.Should().Contain("No market data source is running"));
    }

    [Fact]
    public void WhenNoMarketSourceRuns_StoredCreatorsStillShow()
    {
        _market.State = FeedState.Off;
        _queries.Creators.Add(Quinn);
        var page = Render<CreatorPage>();
        page.WaitForAssertion(() => page.Find("[data-panel=creator-search]").TextContent.Should().Contain("quinncast"));
        page.Markup.Should().NotContain("No market data source is running");
    }

    [Fact]
    public void WhileTheMarketIsLive_AnEmptyMarketShowsTheSearch()
    {
        var page = Render<CreatorPage>();
        page.WaitForAssertion(() => page.FindAll("[data-panel=creator-search]").Should().HaveCount(1));
        page.Markup.Should().NotContain("No market data source is running");
    }
}
