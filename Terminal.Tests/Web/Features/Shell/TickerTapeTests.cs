using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Shell;

namespace Terminal.Tests.Web.Features.Shell;

public sealed class TickerTapeTests : BunitTestBase
{
    private const string Topic = "trends:creators:all:24h";
    private readonly FakeTrendTicker _ticker = new();
    private readonly FakeTimeProvider _time = new();
    private readonly FakeMarketStatus _market = new();

    public TickerTapeTests()
    {
        Services.AddSingleton<ITrendTicker>(_ticker);
        Services.AddSingleton<ITrendReader>(new StubTrendReader());
        Services.AddSingleton<IMarketStatus>(_market);
        Services.AddSingleton<TimeProvider>(_time);
    }

    [Fact]
    public void SubscribesToTopMovers_AndRendersEachTick()
    {
        var tape = Render<TickerTape>();
        _ticker.Topics.Should().Equal(Topic);

        _ticker.Push(Topic, TrendItems.Creator(1, "alpha", 12_345, 0.25), TrendItems.Creator(2, "bravo", 900, -0.5));

        tape.WaitForAssertion(() => tape.Find("[data-ticker-item='10']").TextContent.Should().Contain("ALPHA").And.Contain("12.3K/h").And.Contain("+25.0%"));
        tape.Find("[data-ticker-item='20'] .ti-chg").ClassList.Should().Contain("down");
        tape.Find("[data-ticker-item='10'] .ti-chg").ClassList.Should().Contain("up");

        _time.Advance(TimeSpan.FromSeconds(1));
        _ticker.Push(Topic, TrendItems.Creator(1, "charlie", 50_000, 1.5));

        tape.WaitForAssertion(() => tape.Find("[data-ticker]").TextContent.Should().Contain("CHARLIE").And.NotContain("ALPHA"));
    }

    [Fact]
    public void Dispose_Unsubscribes()
    {
        var tape = Render<TickerTape>();
        tape.Instance.Dispose();
        _ticker.Topics.Should().BeEmpty();
    }

    [Fact]
    public void WhenNoMarketSourceRuns_SaysThereIsNoFeed()
    {
        _market.State = FeedState.Off;
        var tape = Render<TickerTape>();
        tape.Find("[data-ticker]").TextContent.Should().Contain("No live market feed");
    }

    [Fact]
    public void WhileTheMarketIsLive_WaitsForIt()
    {
        var tape = Render<TickerTape>();
        tape.Find("[data-ticker]").TextContent.Should().Contain("Waiting for the market…").And.NotContain("No live market feed");
    }
}
