namespace Terminal.Core.Market;

/// <summary>A monitored creator as lists and the command bar show it.</summary>
public sealed record CreatorSummary(int Id, string Handle, string DisplayName, Platform Platform, int TopicId, string Topic, bool IsDemo);

/// <summary>The CRTR KPI strip for one period (SPEC §2, numbers of SPEC §3).</summary>
/// <param name="Followers">Latest followers.</param>
/// <param name="Views">Latest cumulative views of the creator's own posts.</param>
/// <param name="Velocity">Views per hour over the period.</param>
/// <param name="Change">Δ% as a fraction; null when the earlier velocity is 0.</param>
/// <param name="ClipperCount">Distinct clippers who published a clip of this creator in the period.</param>
/// <param name="Heat">0–100.</param>
/// <param name="UnderClippedScore">0–100.</param>
/// <param name="ClipShareOfVoice">0–1.</param>
/// <param name="Trending">Velocity at or above the platform's 90th percentile.</param>
public sealed record CreatorKpis(long Followers, long Views, double Velocity, double? Change, int ClipperCount, double Heat, double UnderClippedScore, double ClipShareOfVoice, bool Trending);

/// <summary>A point of a time series (SPEC §4 <c>{t,v}</c>).</summary>
public sealed record SeriesPoint(DateTime T, double V);

/// <summary>A clip in a creator's "top clips" list.</summary>
public sealed record RankedClip(int Id, string Title, Platform Platform, int ClipperId, string ClipperHandle, long Views, double Velocity, DateTime PublishedAt, Guid? VodId);

/// <summary>A clipper in a creator's "top clippers" list.</summary>
public sealed record RankedClipper(int Id, string Handle, Platform Platform, int Clips, long Views);

/// <summary>A creator's VOD as lists show it (SPEC §4 <c>/api/creators/{id}/vods</c>).</summary>
public sealed record VodListItem(Guid Id, string Title, DateTime PublishedAt, double? DurationSeconds, string? ThumbnailUrl, bool Trending, VodStatus Status, string? Error)
{
    /// <summary>True for the simulated DEMO market's VODs (SPEC §9).</summary>
    public bool IsDemo { get; init; }

    /// <summary>Platform VODs (<c>needs_source</c>): the video's page on the platform.</summary>
    public string? PlatformUrl { get; init; }

    /// <summary>The id (as in <c>GET /api/auth/user</c>) of the user who registered the source; null for demo and platform VODs.</summary>
    public string? SubmittedBy { get; init; }
}

/// <summary>
/// Read-side questions about the market that screens and endpoints ask. Implemented over the
/// database and the trend engine; every number is the SPEC §3 formula on stored snapshots.
/// </summary>
public interface IMarketQueries
{
    Task<IReadOnlyList<CreatorSummary>> SearchCreatorsAsync(string? search, int limit, CancellationToken cancellationToken = default);

    /// <summary>By numeric id or by handle (case-insensitive, any platform; the most-followed wins).</summary>
    Task<CreatorSummary?> FindCreatorAsync(string idOrHandle, CancellationToken cancellationToken = default);

    Task<CreatorKpis?> GetCreatorKpisAsync(int creatorId, Period period, CancellationToken cancellationToken = default);

    /// <summary>Stored cumulative series (views, likes, shares, followers) or derived ones (velocity, clipperCount), oldest first.</summary>
    Task<IReadOnlyList<SeriesPoint>> GetSeriesAsync(EntityKind kind, int id, string metric, Period period, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<RankedClip>> GetTopClipsAsync(int creatorId, Period period, int limit, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<RankedClipper>> GetTopClippersAsync(int creatorId, Period period, int limit, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<VodListItem>> GetCreatorVodsAsync(int creatorId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Topic>> GetTopicsAsync(CancellationToken cancellationToken = default);

    /// <summary>True when a creator, clip or topic with this id is stored.</summary>
    Task<bool> EntityExistsAsync(EntityKind kind, int id, CancellationToken cancellationToken = default);

    /// <summary>The VOD a market clip was cut from and its range there; null when the clip is unknown or its source is not.</summary>
    Task<ClipSource?> GetClipSourceAsync(int clipId, CancellationToken cancellationToken = default);
}

/// <summary>Where a market clip came from: its source VOD and, when known, the range inside it (seconds).</summary>
public sealed record ClipSource(Guid VodId, double? StartSeconds, double? EndSeconds);

/// <summary>Metric names of <see cref="IMarketQueries.GetSeriesAsync"/> and <c>/api/analytics/timeseries</c>.</summary>
public static class SeriesMetrics
{
    public const string Views = "views";
    public const string Likes = "likes";
    public const string Shares = "shares";
    public const string Followers = "followers";
    public const string Velocity = "velocity";
    public const string ClipperCount = "clipperCount";

    public static readonly IReadOnlyList<string> All = [Views, Likes, Shares, Followers, Velocity, ClipperCount];

    /// <summary>The canonical name for a metric given in any case; null when unknown.</summary>
    public static string? Normalise(string? metric) =>
        All.FirstOrDefault(m => string.Equals(m, metric?.Trim(), StringComparison.OrdinalIgnoreCase));
}
