using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Terminal.Core.Clips;
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

    private readonly RecordingVodRemoval _removal = new();

    public CreatorPageTests()
    {
        Services.AddSingleton<IVodRemoval>(_removal);
        Services.AddSingleton<IMarketQueries>(_queries);
        Services.AddSingleton<IMarketStatus>(_market);
        Services.AddSingleton(Unused.Of<IMarketSourceStore>());
        Services.AddSingleton(new Terminal.Web.Features.Watchlists.WatchlistEditor(Unused.Of<Terminal.Core.Alerts.IWatchlistStore>(), TimeProvider.System));
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

    [Fact]
    public void OwnVod_HasADeleteButton_ThatAsksFirst_ThenDeletesAndDropsTheRow()
    {
        AddAuthorization().SetAuthorized("me@test.local").SetClaims(new Claim(ClaimTypes.NameIdentifier, "user-1"));
        _queries.Creators.Add(Quinn);
        Guid mine = Guid.NewGuid(), theirs = Guid.NewGuid(), demo = Guid.NewGuid();
        var at = new DateTime(2026, 11, 18, 21, 0, 0, DateTimeKind.Utc);
        _queries.Vods.Add(new VodListItem(mine, "My upload", at, 60, null, false, VodStatus.Ready, null) { SubmittedBy = "user-1" });
        _queries.Vods.Add(new VodListItem(theirs, "Someone else's", at, 60, null, false, VodStatus.Ready, null) { SubmittedBy = "user-2" });
        _queries.Vods.Add(new VodListItem(demo, "Demo VOD", at, 60, null, false, VodStatus.Ready, null) { IsDemo = true });
        var dialogs = Render<MudDialogProvider>();

        var page = Render<CreatorPage>(p => p.Add(c => c.Handle, "QuinnCast"));

        // Only the signed-in user's own VOD offers a delete (others' and demo VODs are an admin's).
        page.WaitForAssertion(() => page.FindAll("[data-delete-vod]").Select(b => b.GetAttribute("data-delete-vod")).Should().Equal(mine.ToString()));
        page.Find("[data-delete-vod]").GetAttribute("aria-label").Should().Be("Delete VOD My upload");

        page.Find("[data-delete-vod]").Click();
        dialogs.WaitForAssertion(() => dialogs.Markup.Should().Contain("My upload").And.Contain("cannot be undone"));
        _removal.Deleted.Should().BeEmpty("nothing is deleted before the user confirms");

        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").Click();

        page.WaitForAssertion(() => _removal.Deleted.Should().Equal((mine, "user-1", false)));
        page.WaitForAssertion(() => page.FindAll($"tr[data-vod='{mine}']").Should().BeEmpty());
        page.FindAll($"tr[data-vod='{theirs}']").Should().ContainSingle();
    }

    private sealed class RecordingVodRemoval : IVodRemoval
    {
        public List<(Guid Vod, string User, bool Admin)> Deleted { get; } = [];

        public Task DeleteAsync(Guid vodId, string userId, bool isAdmin, CancellationToken cancellationToken = default)
        {
            Deleted.Add((vodId, userId, isAdmin));
            return Task.CompletedTask;
        }
    }
}
