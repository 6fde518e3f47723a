using Terminal.Jobs.Clips;

namespace Terminal.Tests.Jobs.Clips;

public sealed class HlsPlaylistTests
{
    private static readonly Uri Base = new("https://cdn.example/vod/index.m3u8");

    private const string Media = """
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-TARGETDURATION:4
        #EXTINF:4.000000,
        seg0.ts
        #EXTINF:4.000000,
        seg1.ts
        #EXTINF:3.500000,
        https://other.example/seg2.ts
        #EXT-X-ENDLIST
        """;

    [Fact]
    public void MediaPlaylist_GivesSegmentsOnThePlaylistTimeline_ResolvedAgainstItsUrl()
    {
        var playlist = HlsMediaPlaylist.Parse(Media, Base, out var variant, out _)!;

        variant.Should().BeNull();
        playlist.Unsupported.Should().BeNull();
        playlist.Segments.Select(s => (s.Uri.AbsoluteUri, s.Start, s.Duration)).Should().Equal(
            ("https://cdn.example/vod/seg0.ts", 0.0, 4.0), ("https://cdn.example/vod/seg1.ts", 4.0, 4.0), ("https://other.example/seg2.ts", 8.0, 3.5));
    }

    [Theory]
    [InlineData(5.3, 10.7, 1, 2)] // margin 0.5 s stays inside segments 1 and 2
    [InlineData(4.2, 7.0, 0, 1)] // 3.7 s is in segment 0, 7.5 s in segment 1
    [InlineData(0.1, 20.0, 0, 2)] // past the end: the last segment
    public void Span_IsTheSegmentsHoldingTheRangeWidenedByTheMargin(double start, double end, int first, int last)
    {
        var playlist = HlsMediaPlaylist.Parse(Media, Base, out _, out _)!;

        playlist.Span(start, end, 0.5).Should().Be((first, last));
    }

    [Fact]
    public void MasterPlaylist_NamesItsFirstVariant()
    {
        var text = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\nlow/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=2000000\nhigh/index.m3u8\n";

        HlsMediaPlaylist.Parse(text, Base, out var variant, out var unsupported).Should().BeNull();

        variant!.AbsoluteUri.Should().Be("https://cdn.example/vod/low/index.m3u8");
        unsupported.Should().BeNull();
    }

    [Theory]
    [InlineData("#EXT-X-KEY:METHOD=AES-128,URI=\"k.bin\"", "encrypted segments")]
    [InlineData("#EXT-X-MAP:URI=\"init.mp4\"", "fMP4 segments")]
    [InlineData("#EXT-X-BYTERANGE:1000@0", "byte-range segments")]
    public void SegmentsThatCannotBeJoinedByteWise_AreUnsupported(string tag, string reason)
    {
        var text = $"#EXTM3U\n{tag}\n#EXTINF:4.0,\nseg0.ts\n";

        HlsMediaPlaylist.Parse(text, Base, out _, out _)!.Unsupported.Should().Be(reason);
    }

    [Fact]
    public void Discontinuity_IsMarkedOnTheSegmentAfterIt()
    {
        var text = "#EXTM3U\n#EXTINF:4.0,\na.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:4.0,\nb.ts\n";

        HlsMediaPlaylist.Parse(text, Base, out _, out _)!.Segments.Select(s => s.Discontinuity).Should().Equal(false, true);
    }
}
