using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Terminal.Core.Market;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Shell;

namespace Terminal.Tests.Web.Features.Shell;

public sealed class StatusBarTests : BunitTestBase
{
    private readonly FakeMarketStatus _status = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 30, 15, 0, TimeSpan.Zero));

    public StatusBarTests()
    {
        Services.AddSingleton<IMarketStatus>(_status);
        Services.AddSingleton<TimeProvider>(_time);
    }

    [Fact]
    public void ShowsDemoBadge_WhenFeedIsDemo()
    {
        _status.IsDemo = true;
        var bar = Render<StatusBar>();
        bar.Find("[data-demo]").TextContent.Should().Be("DEMO");
        bar.Find("[data-feed]").GetAttribute("data-feed").Should().Be("live");
    }

    [Fact]
    public void HasNoDemoBadge_ForRealData()
    {
        _status.IsDemo = false;
        var bar = Render<StatusBar>();
        bar.FindAll("[data-demo]").Should().BeEmpty();
    }

    [Fact]
    public void FollowsFeedStateChanges()
    {
        _status.State = FeedState.Backfilling;
        var bar = Render<StatusBar>();
        bar.Find("[data-feed]").TextContent.Should().Contain("BACKFILLING");

        _status.State = FeedState.Live;
        _status.IsDemo = true;
        _status.Raise();

        bar.WaitForAssertion(() => bar.Find("[data-feed]").TextContent.Should().Contain("LIVE"));
        bar.Find("[data-demo]").Should().NotBeNull();
    }

    [Fact]
    public void Clock_ShowsUtcTime_AndTicks()
    {
        var bar = Render<StatusBar>();
        bar.Find("[data-clock]").TextContent.Should().Be("2026-11-24 09:30:15 UTC");

        _time.Advance(TimeSpan.FromSeconds(2));

        bar.WaitForAssertion(() => bar.Find("[data-clock]").TextContent.Should().Be("2026-11-24 09:30:17 UTC"));
    }

    [Fact]
    public void LiveFeed_WithNoTickFor10Seconds_ShowsStale_ThenStopped()
    {
        _status.State = FeedState.Live;
        _status.LastTickAt = _time.GetUtcNow().UtcDateTime;
        var bar = Render<StatusBar>();
        bar.Find("[data-feed]").TextContent.Should().Contain("LIVE");

        _time.Advance(TimeSpan.FromSeconds(11));
        bar.WaitForAssertion(() => bar.Find("[data-feed]").GetAttribute("data-feed").Should().Be("stale"));
        bar.Find("[data-feed]").TextContent.Should().Contain("STALE").And.NotContain("LIVE");
        bar.Find("[data-feed]").ClassList.Should().Contain("sb-stale");

        _time.Advance(TimeSpan.FromSeconds(60));
        bar.WaitForAssertion(() => bar.Find("[data-feed]").TextContent.Should().Contain("STOPPED"));
        bar.Find("[data-feed]").ClassList.Should().Contain("sb-stopped");
    }

    [Fact]
    public void StaleFeed_ShowsLiveAgain_WhenATickArrives()
    {
        _status.State = FeedState.Live;
        _status.LastTickAt = _time.GetUtcNow().UtcDateTime.AddSeconds(-30);
        var bar = Render<StatusBar>();
        bar.Find("[data-feed]").GetAttribute("data-feed").Should().Be("stale");

        _status.LastTickAt = _time.GetUtcNow().UtcDateTime;
        _status.Raise();
        _time.Advance(TimeSpan.FromSeconds(1));

        bar.WaitForAssertion(() => bar.Find("[data-feed]").GetAttribute("data-feed").Should().Be("live"));
    }
}
