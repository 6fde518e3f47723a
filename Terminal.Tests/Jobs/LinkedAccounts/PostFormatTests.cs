using Terminal.Core.Insights;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using static Terminal.Tests.Jobs.LinkedAccounts.PlatformFakes;

namespace Terminal.Tests.Jobs.LinkedAccounts;

/// <summary>Own posts carry format and duration read from the platforms' own fields (SPEC §10 post features).</summary>
public sealed class PostFormatTests : IDisposable
{
    private readonly ConnectorHarness harness = new();

    public void Dispose() => harness.Dispose();

    [Theory]
    [InlineData("PT45S", 45)]
    [InlineData("PT4M13S", 253)]
    [InlineData("PT1H2M3S", 3723)]
    [InlineData("P1DT2M", 86520)]
    [InlineData("P0D", 0)]
    public void IsoDurationSeconds_ReadsYouTubesDurations(string iso, double seconds) =>
        PostFormats.IsoDurationSeconds(iso).Should().Be(seconds);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("4:13")]
    public void IsoDurationSeconds_IsNull_WhenAbsentOrUnreadable(string? iso) =>
        PostFormats.IsoDurationSeconds(iso).Should().BeNull();

    [Fact]
    public async Task YouTube_ShortsLongAndLive_FromContentDetailsAndBroadcastState()
    {
        var t = DateTime.UtcNow.AddDays(-1);
        YouTubeChannel(harness.Server, "UCfmt", 10,
        [
            new Video("short1", "A short", t, 100, 1, 1, Duration: "PT45S"),
            new Video("long1", "A long one", t, 100, 1, 1, Duration: "PT12M3S"),
            new Video("past1", "Yesterday's stream", t, 100, 1, 1, Duration: "PT2H0M1S", WasLive: true),
            new Video("live1", "Live now", t, 100, 1, 1, Duration: "P0D", LiveBroadcastContent: "live"),
        ]);
        var sink = new RecordingSink();

        await harness.Connector(Platform.YouTube).SyncAsync("ya29.token", sink, CancellationToken.None);

        sink.Posts.Single(p => p.ExternalId == "short1").Should().BeEquivalentTo(new { Format = PostFormat.ShortForm, DurationSeconds = 45.0 });
        sink.Posts.Single(p => p.ExternalId == "long1").Should().BeEquivalentTo(new { Format = PostFormat.LongForm, DurationSeconds = 723.0 });
        sink.Posts.Single(p => p.ExternalId == "past1").Should().BeEquivalentTo(new { Format = PostFormat.Live, DurationSeconds = 7201.0 });
        sink.Posts.Single(p => p.ExternalId == "live1").Should().BeEquivalentTo(new { Format = PostFormat.Live, DurationSeconds = (double?)null });
        harness.Server.LogEntries.Single(e => e.RequestMessage.Path.EndsWith("/videos", StringComparison.Ordinal)).RequestMessage.Query!["part"]
            .SelectMany(v => v.Split(',')).Should().Contain(["contentDetails", "liveStreamingDetails"]);
    }

    [Fact]
    public async Task Instagram_ReelsAreShort_FeedPostsLong()
    {
        var t = DateTime.UtcNow.AddDays(-1);
        InstagramAccount(harness.Server, "17841400000000009", 10,
        [
            new Media("1791001", "reel", t, 1, 1, null, ProductType: "REELS"),
            new Media("1791002", "photo", t, 1, 1, null, ProductType: "FEED"),
            new Media("1791003", "ad", t, 1, 1, null, ProductType: "AD"),
        ]);
        var sink = new RecordingSink();

        await harness.Connector(Platform.Instagram).SyncAsync("IGAAtoken", sink, CancellationToken.None);

        sink.Posts.Single(p => p.ExternalId == "1791001").Format.Should().Be(PostFormat.ShortForm);
        sink.Posts.Single(p => p.ExternalId == "1791002").Format.Should().Be(PostFormat.LongForm);
        sink.Posts.Single(p => p.ExternalId == "1791003").Format.Should().BeNull("an ad says nothing about the format");
        sink.Posts.Should().OnlyContain(p => p.DurationSeconds == null, "the Graph API reports no media duration");
    }

    [Fact]
    public async Task TikTok_DurationFromTheVideoList_AndShortForm()
    {
        TikTokAccount(harness.Server, "open-f", 1, [new TikTokVideo("7390001", "tok", DateTime.UtcNow.AddDays(-1), 10, 1, 1, 1, Duration: 34)]);
        var sink = new RecordingSink();

        await harness.Connector(Platform.TikTok).SyncAsync("act.token", sink, CancellationToken.None);

        sink.Posts.Single().Should().BeEquivalentTo(new { Format = PostFormat.ShortForm, DurationSeconds = 34.0 });
        harness.Server.LogEntries.Single(e => e.RequestMessage.Path.EndsWith("/video/list/", StringComparison.Ordinal)).RequestMessage.Query!["fields"]
            .SelectMany(v => v.Split(',')).Should().Contain("duration");
    }

    [Fact]
    public void OwnPostFeatures_UseTheStoredFormatAndDuration()
    {
        var f = PostFeatures.Compute("a short", Platform.YouTube, DateTime.UtcNow, 45, PostFormats.YouTube("none", false, 45) ?? InsightRows.DefaultFormat(Platform.YouTube));
        f.Format.Should().Be("short");
        f.Duration.Should().Be("40-60s");
    }
}
