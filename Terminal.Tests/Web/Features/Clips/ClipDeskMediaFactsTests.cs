using Terminal.Core.Market;
using Terminal.Web.Features.Clips;

namespace Terminal.Tests.Web.Features.Clips;

/// <summary>The desk's head line of media facts: never "/no audio · ? fps" for a VOD that is not probed yet.</summary>
public sealed class ClipDeskMediaFactsTests
{
    private static VodDetail Vod(int? width, int? height, string? video, string? audio, double? fps) =>
        new(Guid.NewGuid(), 1, "t", VodStatus.Ready, null, 60, width, height, video, audio, fps, 0, null, null, true, DateTime.UtcNow);

    [Fact]
    public void Probed_ShowsSizeCodecsAndFrameRate() =>
        ClipDeskPage.MediaFacts(Vod(480, 270, "h264", "aac", 25)).Should().Be("480×270 · h264/aac · 25 fps");

    [Fact]
    public void ProbedWithoutAudio_SaysNoAudio() =>
        ClipDeskPage.MediaFacts(Vod(1920, 1080, "hevc", null, 29.97)).Should().Be("1920×1080 · hevc/no audio · 29.97 fps");

    [Fact]
    public void NotProbed_SaysSo_InsteadOfEmptyCodecs()
    {
        ClipDeskPage.MediaFacts(Vod(480, 270, null, null, null)).Should().Be("480×270 · codecs not probed yet");
        ClipDeskPage.MediaFacts(Vod(null, null, null, null, null)).Should().Be("media not probed yet");
    }
}
