namespace Terminal.Core.Market;

/// <summary>A niche such as "streamer clips" or "podcast clips"; topics rank like creators and clips.</summary>
public sealed class Topic
{
    public int Id { get; set; }

    /// <summary>URL-safe key, e.g. <c>podcast-clips</c>.</summary>
    public required string Slug { get; set; }

    public required string Name { get; set; }
}

/// <summary>A monitored creator (the source of VODs that clippers cut).</summary>
public sealed class Creator
{
    public int Id { get; set; }

    /// <summary>Platform handle without the @, e.g. <c>mrbeast</c>. Unique per platform.</summary>
    public required string Handle { get; set; }

    public required string DisplayName { get; set; }

    public Platform Platform { get; set; }

    public int TopicId { get; set; }

    /// <summary>True for entities of the built-in demo market (labelled DEMO wherever they show).</summary>
    public bool IsDemo { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>An account that publishes clips cut from creators' content.</summary>
public sealed class ClipperAccount
{
    public int Id { get; set; }

    public required string Handle { get; set; }

    public Platform Platform { get; set; }

    public bool IsDemo { get; set; }
}

/// <summary>A published short clip of a creator, posted by a clipper, optionally cut from a known VOD.</summary>
public sealed class MarketClip
{
    public int Id { get; set; }

    public required string Title { get; set; }

    public Platform Platform { get; set; }

    public int CreatorId { get; set; }

    public int ClipperId { get; set; }

    public int TopicId { get; set; }

    /// <summary>The VOD it was cut from, when known (feeds the VOD's hot zones).</summary>
    public Guid? VodId { get; set; }

    /// <summary>Source range inside the VOD, in seconds (hot zones, SPEC §3).</summary>
    public double? SourceStartSeconds { get; set; }

    public double? SourceEndSeconds { get; set; }

    public DateTime PublishedAt { get; set; }

    public bool IsDemo { get; set; }
}

/// <summary>
/// Cumulative metrics of one entity at one instant (SPEC §3's <c>m(e, t)</c>). Snapshots are
/// append-only; the value at <c>t</c> is the latest snapshot at or before <c>t</c>.
/// </summary>
public sealed class MetricSnapshot
{
    public long Id { get; set; }

    public EntityKind Kind { get; set; }

    public int EntityId { get; set; }

    /// <summary>UTC instant of the reading.</summary>
    public DateTime At { get; set; }

    public long Views { get; set; }

    public long Likes { get; set; }

    public long Comments { get; set; }

    public long Shares { get; set; }

    /// <summary>Followers for creators; 0 for clips and topics.</summary>
    public long Followers { get; set; }
}

/// <summary>Lifecycle of a registered source VOD.</summary>
public enum VodStatus
{
    Probing = 1,
    Ready = 2,
    Failed = 3,

    /// <summary>A platform VOD (an ended live stream, SPEC §9): listed with its platform page and thumbnail;
    /// the terminal never downloads platform media, so cutting needs a source URL a user registers.</summary>
    NeedsSource = 4,
}

/// <summary>A creator's long-form source video that clippers cut segments from.</summary>
public sealed class Vod
{
    public Guid Id { get; set; }

    public int CreatorId { get; set; }

    public required string Title { get; set; }

    /// <summary>http(s) MP4/WebM or HLS playlist; for demo VODs a file under the data directory.</summary>
    public required string SourceUrl { get; set; }

    public DateTime PublishedAt { get; set; }

    public double? DurationSeconds { get; set; }

    public int? Width { get; set; }

    public int? Height { get; set; }

    public VodStatus Status { get; set; } = VodStatus.Probing;

    public string? Error { get; set; }

    /// <summary>Platform VODs: the video's page on the platform (e.g. youtube.com/watch?v=…).</summary>
    public string? PlatformUrl { get; set; }

    /// <summary>Platform VODs: the platform's own thumbnail.</summary>
    public string? PlatformThumbnailUrl { get; set; }

    /// <summary>Who registered it; null for the demo market's own VODs.</summary>
    public string? RegisteredByUserId { get; set; }

    public bool IsDemo { get; set; }

    public DateTime CreatedAt { get; set; }
}
