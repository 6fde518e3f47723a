using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Shell;
using Terminal.Web.Features.Trends;

namespace Terminal.Tests.Web.Features.Trends;

public sealed class UnderClippedPanelTests : BunitTestBase
{
    private readonly FakeReader _reader = new();

    public UnderClippedPanelTests()
    {
        Services.AddSingleton<ITrendReader>(_reader);
        Services.AddSingleton<ITrendTicker>(new FakeTrendTicker());
        Services.AddSingleton<IMarketStatus>(new FakeMarketStatus());
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider());
    }

    [Fact]
    public void ListsCreators_ByUnderClippedScore_NotByHeat()
    {
        _reader.Items =
        [
            TrendItems.Creator(1, "hot-but-clipped", 900) with { UnderClippedScore = 10 },
            TrendItems.Creator(2, "starved", 300) with { UnderClippedScore = 95 },
            TrendItems.Creator(3, "middling", 100) with { UnderClippedScore = 50 },
        ];

        var panel = Render<UnderClippedPanel>(p => p.Add(c => c.Period, Period.Week).Add(c => c.TopicId, 4));

        panel.WaitForAssertion(() => panel.FindAll("tr[data-row] td.name").Select(td => td.TextContent).Should().Equal("starved", "middling", "hot-but-clipped"));
        _reader.Last!.Should().Be(new TrendQuery(EntityKind.Creator, null, Period.Week, 1000, 4));
    }

    [Fact]
    public void HonoursTheSearchBox_AndItsColumnsSort()
    {
        _reader.Items =
        [
            TrendItems.Creator(1, "zoe-a", 900) with { UnderClippedScore = 10, ClipShareOfVoice = 0.0125 },
            TrendItems.Creator(2, "starved", 300) with { UnderClippedScore = 95 },
            TrendItems.Creator(3, "zoe-b", 100) with { UnderClippedScore = 50 },
        ];

        var panel = Render<UnderClippedPanel>(p => p.Add(c => c.Search, "ZOE"));
        panel.WaitForAssertion(() => panel.FindAll("tr[data-row] td.name").Select(td => td.TextContent).Should().Equal("zoe-b", "zoe-a"));

        panel.Find("th[data-sort=velocity]").Click();
        panel.FindAll("tr[data-row] td.name").Select(td => td.TextContent).Should().Equal("zoe-a", "zoe-b");
        panel.Find("th[data-sort=velocity]").GetAttribute("aria-sort").Should().Be("descending");
        panel.Find("th[data-sort=velocity]").Click();
        panel.FindAll("tr[data-row] td.name").Select(td => td.TextContent).Should().Equal("zoe-b", "zoe-a");
        panel.Find("tr[data-row='10'] td:last-child").TextContent.Should().Be("1.3%", "share of voice has one decimal");

        panel.Render(p => p.Add(c => c.Search, null));
        panel.FindAll("tr[data-row] td.name").Should().HaveCount(3);
    }

    private sealed class FakeReader : ITrendReader
    {
        public IReadOnlyList<TrendItem> Items { get; set; } = [];

        public TrendQuery? Last { get; private set; }

        public TrendResult Query(TrendQuery query)
        {
            Last = query;
            return new TrendResult(Items, DateTime.UtcNow);
        }
    }
}
