using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Terminal.Core.Market;
using Terminal.Core.MarketSources;
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
    private readonly FakeLiveStreams _streams = new();

    public TickerTapeTests()
    {
        Services.AddSingleton<ITrendTicker>(_ticker);
        Services.AddSingleton<ITrendReader>(new StubTrendReader());
        Services.AddSingleton<IMarketStatus>(_market);
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddSingleton<ILiveStreams>(_streams);
        // Signed out: the tape never asks for a ticker watchlist.
        Services.AddSingleton(new Terminal.Web.Features.Watchlists.TickerSource(Unused.Of<Terminal.Core.Alerts.ITickerWatchlistStore>()));
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
    public void ALiveCreator_CarriesALiveMarkerWithItsViewers_AndLosesItWhenTheStreamEnds()
    {
        var streams = _streams;
        streams.Live.Add(new LiveNow(10, "alpha", Platform.YouTube, "liveVid001", "24h stream", 12_345, DateTime.UtcNow.AddHours(-1), "https://www.youtube.com/watch?v=liveVid001"));
        var tape = Render<TickerTape>();

        _ticker.Push(Topic, TrendItems.Creator(1, "alpha", 12_345, 0.25), TrendItems.Creator(2, "bravo", 900, -0.5));

        tape.WaitForAssertion(() => tape.Find("[data-ticker-item='10'] [data-ticker-live]").TextContent.Should().Be("LIVE 12.3K"));
        tape.FindAll("[data-ticker-item='20'] [data-ticker-live]").Should().BeEmpty();

        streams.Live.Clear();
        _time.Advance(TimeSpan.FromSeconds(16));
        _ticker.Push(Topic, TrendItems.Creator(1, "alpha", 12_400, 0.25));

        tape.WaitForAssertion(() => tape.FindAll("[data-ticker-live]").Should().BeEmpty());
    }

    private sealed class FakeLiveStreams : ILiveStreams
    {
        public List<LiveNow> Live { get; } = [];

        public Task<IReadOnlyList<LiveNow>> GetLiveAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<LiveNow>>(Live.ToList());
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
