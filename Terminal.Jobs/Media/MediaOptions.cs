using System.ComponentModel.DataAnnotations;

namespace Terminal.Jobs.Media;

/// <summary><c>Terminal:Media</c>: VOD sources and the media made from them.</summary>
public sealed class MediaOptions
{
    public const string Section = "Terminal:Media";

    /// <summary>Let VOD sources live on loopback, link-local and private networks (tests, labs). Off in production (SSRF).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Origins (<c>scheme://host:port</c>) that may be on a private network even when <see cref="AllowPrivateNetworks"/> is off (a lab media server).</summary>
    public List<string> AllowedPrivateOrigins { get; set; } = [];

    /// <summary>Most bytes the pipeline reads from one source in one session (probe, strip, preview or cut).</summary>
    [Range(1L << 20, 1L << 40)]
    public long MaxSourceBytes { get; set; } = 8L << 30;

    /// <summary>Longest wait for a remote source to answer or send the next bytes before it is "too slow".</summary>
    [Range(1, 300)]
    public int ReadTimeoutSeconds { get; set; } = 15;

    /// <summary>Overall limit of one VOD's preparation (probe, thumbnail strip and preview together).</summary>
    [Range(5, 7200)]
    public int PrepareTimeoutSeconds { get; set; } = 600;

    /// <summary>VODs a user may have waiting for their probe at once (409 beyond).</summary>
    [Range(1, 1000)]
    public int MaxPendingProbesPerUser { get; set; } = 3;

    /// <summary>VODs a user may register in any 24 hours (409 <c>vod_limit_reached</c> beyond); deleting one does not give its slot back.</summary>
    [Range(1, 100000)]
    public int MaxVodsPerUserPerDay { get; set; } = 20;

    /// <summary>Media preparations (probe, strip, preview) that run at once, on their own queue beside clips and the market.</summary>
    [Range(1, 32)]
    public int MaxConcurrentPreparations { get; set; } = 2;

    /// <summary>Tiles in a VOD's thumbnail strip.</summary>
    [Range(2, 100)]
    public int ThumbnailTiles { get; set; } = 24;

    /// <summary>Height of the server-made player preview of remote sources (MP4 and HLS alike).</summary>
    [Range(144, 1080)]
    public int PreviewHeight { get; set; } = 360;

    /// <summary>lavfi pattern of generated demo VODs (<c>testsrc2</c> moves every frame; <c>smptehdbars</c> is smaller and quicker).</summary>
    [RegularExpression("^[a-z0-9]+$")]
    public string DemoPattern { get; set; } = "smptehdbars";

    /// <summary>Disk budget of generated demo media (demo VOD files and their thumbnail strips and posters);
    /// past it the least recently used demo VODs' files are deleted (and made again on their next open).</summary>
    [Range(1, 1 << 20)]
    public int DemoCacheBudgetMb { get; set; } = 512;

    /// <summary>Demo media used within this many minutes is never evicted (it may be streaming right now).</summary>
    [Range(0, 1440)]
    public int DemoCacheGraceMinutes { get; set; } = 10;

    /// <summary>Longest demo VOD generated locally.</summary>
    [Range(1, 6 * 3600)]
    public int MaxDemoSeconds { get; set; } = 2 * 3600;
}
