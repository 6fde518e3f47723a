using System.Text;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Terminal.Core.Insights;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Shell;
using Terminal.Web.Features.Trends;

namespace Terminal.Tests.Web.Features.Trends;

/// <summary>Opportunity gaps a test fixes, recording what was asked.</summary>
public sealed class FixedGaps : IOpportunityGapSource
{
    public List<OpportunityGap> Gaps { get; } = [];

    public List<(Platform? Platform, Period Period)> Asked { get; } = [];

    public Task<IReadOnlyList<OpportunityGap>> OpportunitiesAsync(Platform? platform, Period period, CancellationToken cancellationToken = default)
    {
        Asked.Add((platform, period));
        return Task.FromResult<IReadOnlyList<OpportunityGap>>(Gaps);
    }
}

/// <summary>TRND's niches grid shows each topic's opportunity gap (SPEC §3) with its interval, and its CSV carries it.</summary>
public sealed class TrendNicheGapTests : BunitTestBase
{
    private readonly FakeTrendTicker _ticker = new();
    private readonly FixedGaps _gaps = new();

    public TrendNicheGapTests()
    {
        Services.AddSingleton<ITrendTicker>(_ticker);
        Services.AddSingleton<ITrendReader>(new StubTrendReader());
        Services.AddSingleton<IMarketStatus>(new FakeMarketStatus());
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        _gaps.Gaps.Add(new OpportunityGap(10, "speedruns", 1_200, 0.5, 87.4, 71.2, 95.0, ["idea"]));
    }

    private static TrendItem Topic(int rank, int id, string name) => new(rank, id, name, null, 1000 - rank, 0.1, 90, 0, [1, 2]);

    [Fact]
    public void NichesGrid_ShowsTheGapOfEachTopic_AndAsksForThePanelsPlatformAndPeriod()
    {
        var panel = Render<TrendPanel>(p => p.Add(c => c.Kind, EntityKind.Topic).Add(c => c.Title, "Trending niches")
            .Add(c => c.Platform, Platform.YouTube).Add(c => c.Period, Period.Week).Add(c => c.GapSource, _gaps));
        _ticker.Push(_ticker.Topics.Single(), Topic(1, 10, "speedruns"), Topic(2, 20, "chess"));

        panel.WaitForAssertion(() => panel.FindAll("tr[data-row]").Should().HaveCount(2));
        panel.Find("th.gap").TextContent.Should().Be("Gap");
        var cell = panel.Find("tr[data-row='10'] td[data-col=gap]");
        cell.TextContent.Should().Be("87");
        cell.GetAttribute("title").Should().Contain("[71, 95]");
        panel.Find("tr[data-row='20'] td[data-col=gap]").TextContent.Should().Be("—");
        _gaps.Asked.Should().Equal((Platform.YouTube, Period.Week));
    }

    [Fact]
    public void OtherGrids_HaveNoGapColumn()
    {
        var panel = Render<TrendPanel>(p => p.Add(c => c.Kind, EntityKind.Creator).Add(c => c.Title, "Trending creators"));
        _ticker.Push(_ticker.Topics.Single(), TrendItems.Creator(1, "maxcast", 100));

        panel.WaitForAssertion(() => panel.FindAll("tr[data-row]").Should().HaveCount(1));
        panel.FindAll("th.gap").Should().BeEmpty();
        _gaps.Asked.Should().BeEmpty();
    }

    [Fact]
    public void Csv_WithGaps_CarriesGapAndInterval_EmptyForATopicWithout()
    {
        var gaps = _gaps.Gaps.ToDictionary(g => g.TopicId);
        var lines = Encoding.UTF8.GetString(TrendRows.ToCsv([Topic(1, 10, "speedruns"), Topic(2, 20, "chess")], gaps)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        lines[0].Should().EndWith(",trending,gap,gapLow,gapHigh");
        lines[1].Should().EndWith(",87.4,71.2,95");
        lines[2].Should().EndWith(",,,");
        Encoding.UTF8.GetString(TrendRows.ToCsv([Topic(1, 10, "speedruns")])).Should().NotContain("gap");
    }
}
