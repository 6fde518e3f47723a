using System.ComponentModel.DataAnnotations;

namespace Terminal.Jobs.Media;

/// <summary><c>Terminal:Media</c>: VOD sources and the media made from them.</summary>
public sealed class MediaOptions
{
    public const string Section = "Terminal:Media";

    /// <summary>Let VOD sources live on loopback, link-local and private networks (tests, labs). Off in production (SSRF).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Tiles in a VOD's thumbnail strip.</summary>
    [Range(2, 100)]
    public int ThumbnailTiles { get; set; } = 24;

    /// <summary>Height of the server-made player preview of remote sources (MP4 and HLS alike).</summary>
    [Range(144, 1080)]
    public int PreviewHeight { get; set; } = 360;

    /// <summary>lavfi pattern of generated demo VODs (<c>testsrc2</c> moves every frame; <c>smptehdbars</c> is smaller and quicker).</summary>
    [RegularExpression("^[a-z0-9]+$")]
    public string DemoPattern { get; set; } = "smptehdbars";

    /// <summary>Longest demo VOD generated locally.</summary>
    [Range(1, 6 * 3600)]
    public int MaxDemoSeconds { get; set; } = 2 * 3600;
}
