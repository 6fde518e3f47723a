using Terminal.Core.Clips;
using Terminal.Core.Insights;
using Terminal.Core.Market;

namespace Terminal.Tests.Core.Insights;

/// <summary>An outlier clip opens its source VOD in CLIP with the clip's range marked.</summary>
public sealed class OutlierLinkTests
{
    private static readonly Guid Vod = Guid.Parse("0b7c1e0e-3f1d-4a52-9b0e-5c4d2a1f9e77");

    private static MarketClip Clip(Guid? vod, double? from, double? to) => new()
    {
        Id = 7, Title = "clip", Platform = Platform.YouTube, CreatorId = 1, ClipperId = 2, TopicId = 1,
        PublishedAt = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), VodId = vod, SourceStartSeconds = from, SourceEndSeconds = to,
    };

    [Fact]
    public void ClipHref_OpensTheSourceVodAtTheClipsRange() =>
        InsightRows.ClipHref(Clip(Vod, 12.5, 40)).Should().Be("/clip/0b7c1e0e-3f1d-4a52-9b0e-5c4d2a1f9e77?in=12.5&out=40");

    [Fact]
    public void ClipHref_OpensTheVodAlone_WhenTheRangeIsUnknown() =>
        InsightRows.ClipHref(Clip(Vod, null, null)).Should().Be("/clip/0b7c1e0e-3f1d-4a52-9b0e-5c4d2a1f9e77");

    [Fact]
    public void ClipHref_IsNull_WithoutAKnownVod() =>
        InsightRows.ClipHref(Clip(null, 1, 2)).Should().BeNull();

    [Fact]
    public void FromLink_MarksAValidRange_AndIgnoresOneTheDeskWouldRefuse()
    {
        ClipRange.FromLink(12.5, 40, 100).Should().Be(ClipRange.Create(12.5, 40, 100));
        ClipRange.FromLink(null, 40, 100).Should().BeNull();
        ClipRange.FromLink(50, 40, 100).Should().BeNull();
        ClipRange.FromLink(10, 140, 100).Should().BeNull();
    }
}
