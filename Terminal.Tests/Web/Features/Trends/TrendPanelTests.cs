using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Shell;
using Terminal.Web.Features.Shell;
using Terminal.Web.Features.Trends;

namespace Terminal.Tests.Web.Features.Trends;

public sealed class TrendPanelTests : BunitTestBase
{
    private const string Topic = "trends:creators:tiktok:7d";
    private readonly FakeTrendTicker _ticker = new();
    private readonly FakeTimeProvider _time = new();
    private readonly StubTrendReader _reader = new();
    private readonly FakeMarketStatus _market = new();

    public TrendPanelTests()
    {
        Services.AddSingleton<ITrendTicker>(_ticker);
        Services.AddSingleton<ITrendReader>(_reader);
        Services.AddSingleton<IMarketStatus>(_market);
        Services.AddSingleton<TimeProvider>(_time);
    }

    private IRenderedComponent<TrendPanel> RenderPanel() => Render<TrendPanel>(p => p
        .Add(c => c.Kind, EntityKind.Creator)
        .Add(c => c.Title, "Trending creators")
        .Add(c => c.Platform, Platform.TikTok)
        .Add(c => c.Period, Period.Week));

    private static string[] Names(IRenderedComponent<TrendPanel> panel) =>
        panel.FindAll("tbody tr[data-row] td.name").Select(td => td.TextContent).ToArray();

    [Fact]
    public void SubscribesToItsTopic()
    {
        RenderPanel();
        _ticker.Topics.Should().Equal(Topic);
    }

    [Fact]
    public void WhenNoMarketSourceRuns_TheEmptyGridSaysSo()
    {
        _market.State = FeedState.Off;
        var panel = RenderPanel();
        panel.Find("td.empty-note").TextContent.Should().Contain("No market data source is running");
    }

    [Theory]
    [InlineData(FeedState.Live)]
    [InlineData(FeedState.Backfilling)]
    public void WhileASourceRuns_TheEmptyGridWaitsForTheFirstRanking(FeedState state)
    {
        _market.State = state;
        var panel = RenderPanel();
        panel.Find("td.empty-note").TextContent.Should().Be("Waiting for the first ranking…");
    }

    [Fact]
    public void RowsFromTheReader_ShowBeforeTheFirstTick()
    {
        _reader.Items = [TrendItems.Creator(1, "alpha", 100), TrendItems.Creator(2, "bravo", 50)];
        var panel = RenderPanel();
        Names(panel).Should().Equal("alpha", "bravo");
    }

    [Fact]
    public void SortByVelocity_IsKeptAcrossALiveUpdate()
    {
        var panel = RenderPanel();
        _ticker.Push(Topic, TrendItems.Creator(1, "alpha", 100), TrendItems.Creator(2, "bravo", 300), TrendItems.Creator(3, "charlie", 200));
        panel.WaitForAssertion(() => Names(panel).Should().Equal("alpha", "bravo", "charlie"));

        panel.Find("th[data-sort='velocity']").Click();
        Names(panel).Should().Equal("bravo", "charlie", "alpha");

        // The market moves: ranks change and charlie overtakes; the grid stays sorted by velocity.
        _time.Advance(TimeSpan.FromSeconds(1));
        _ticker.Push(Topic, TrendItems.Creator(1, "bravo", 310), TrendItems.Creator(2, "alpha", 90), TrendItems.Creator(3, "charlie", 900));

        panel.WaitForAssertion(() => Names(panel).Should().Equal("charlie", "bravo", "alpha"));
        panel.Find("th[data-sort='velocity']").GetAttribute("aria-sort").Should().Be("descending");
    }

    [Fact]
    public void ChangedCells_Flash_InTheirDirection()
    {
        var panel = RenderPanel();
        _ticker.Push(Topic, TrendItems.Creator(1, "alpha", 100), TrendItems.Creator(2, "bravo", 300));
        panel.WaitForAssertion(() => Names(panel).Should().HaveCount(2));

        _time.Advance(TimeSpan.FromSeconds(1));
        _ticker.Push(Topic, TrendItems.Creator(1, "alpha", 150), TrendItems.Creator(2, "bravo", 250));

        panel.WaitForAssertion(() => panel.Find("tr[data-row='10'] td[data-col='velocity']").ClassName.Should().Contain("flash-up"));
        panel.Find("tr[data-row='20'] td[data-col='velocity']").ClassName.Should().Contain("flash-down");
    }

    [Fact]
    public void ArrowDown_SelectsNextRow_AndEnterOpensIt()
    {
        TrendItem? opened = null;
        var panel = Render<TrendPanel>(p => p
            .Add(c => c.Kind, EntityKind.Creator)
            .Add(c => c.Platform, Platform.TikTok)
            .Add(c => c.Period, Period.Week)
            .Add(c => c.OnOpen, (TrendItem row) => opened = row));
        _ticker.Push(Topic, TrendItems.Creator(1, "alpha", 100), TrendItems.Creator(2, "bravo", 300));
        panel.WaitForAssertion(() => Names(panel).Should().HaveCount(2));

        Press(panel, "ArrowDown");
        panel.WaitForAssertion(() => panel.Find("tr[data-selected='true'] td.name").TextContent.Should().Be("alpha"));
        Press(panel, "ArrowDown");
        panel.WaitForAssertion(() => panel.Find("tr[data-selected='true'] td.name").TextContent.Should().Be("bravo"));

        Press(panel, "Enter");
        panel.WaitForAssertion(() => opened.Should().NotBeNull());
        opened!.Name.Should().Be("bravo");
    }

    [Fact]
    public void BeforeTheFirstRanking_SkeletonRowsShow_InsteadOfARowCount()
    {
        _market.State = FeedState.Live;
        var panel = RenderPanel();
        panel.FindAll("[data-skeleton]").Should().HaveCount(TrendPanel.SkeletonRows);
        panel.Find("[data-row-count]").TextContent.Should().StartWith("loading…");

        _ticker.Push(Topic, TrendItems.Creator(1, "alpha", 100), TrendItems.Creator(2, "bravo", 300));

        panel.WaitForAssertion(() => panel.FindAll("[data-skeleton]").Should().BeEmpty());
        panel.Find("[data-row-count]").TextContent.Should().StartWith("2 rows");
    }

    [Fact]
    public void AnEmptyTick_EndsTheLoadingState()
    {
        var panel = RenderPanel();
        _ticker.Push(Topic);
        panel.WaitForAssertion(() => panel.FindAll("[data-skeleton]").Should().BeEmpty());
        panel.Find("[data-row-count]").TextContent.Should().StartWith("0 rows");
    }

    [Fact]
    public void LongClipTitles_AreShortenedFromTheMiddle_WithTheFullTitleAsTooltip()
    {
        const string title = "Full stream VOD of the charity marathon — the best reactions, part 14";
        _reader.Items = [TrendItems.Creator(1, title, 100), TrendItems.Creator(2, "short clip", 50)];
        var panel = Render<TrendPanel>(p => p.Add(c => c.Kind, EntityKind.Clip).Add(c => c.Period, Period.Week));

        var cells = panel.FindAll("tbody tr[data-row] td.name");
        cells[0].TextContent.Should().Be(Fmt.MiddleEllipsis(title, TrendPanel.ClipTitleMax)).And.EndWith("part 14").And.StartWith("Full stream");
        cells[0].GetAttribute("title").Should().Be(title);
        cells[1].TextContent.Should().Be("short clip");
    }

    [Fact]
    public void CreatorNames_AreNotShortened()
    {
        var name = new string('x', TrendPanel.ClipTitleMax + 10);
        _reader.Items = [TrendItems.Creator(1, name, 100)];
        var panel = RenderPanel();
        Names(panel).Should().Equal(name);
    }

    private static void Press(IRenderedComponent<TrendPanel> panel, string key) =>
        panel.Find("[data-arrow-nav]").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = key });

    [Fact]
    public void Csv_HasHeaderAndRows()
    {
        var csv = System.Text.Encoding.UTF8.GetString(TrendRows.ToCsv([TrendItems.Creator(1, "al,pha", 1234.5, null)]));
        csv.Should().StartWith("rank,id,name,platform,velocity,change,heat,clipperCount,sparkline,underClippedScore,trending");
        csv.Should().Contain("1,10,\"al,pha\",tiktok,1234.5,,99,1,1 2 3 1234.5,,false");
    }
}
