using System.Text.Json.Serialization;
using Terminal.Core.Market;

namespace Terminal.Core.MarketSources;

/// <summary>State of a public-data market source (SPEC §9 <c>GET /api/market/sources</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SourceStatus>))]
public enum SourceStatus
{
    [JsonStringEnumMemberName("unconfigured")] Unconfigured = 0,
    [JsonStringEnumMemberName("pending_validation")] PendingValidation = 1,
    [JsonStringEnumMemberName("valid")] Valid = 2,
    [JsonStringEnumMemberName("invalid")] Invalid = 3,
    [JsonStringEnumMemberName("quota_exceeded")] QuotaExceeded = 4,
    [JsonStringEnumMemberName("paused")] Paused = 5,
}

/// <summary>What a monitored channel is to the market: a creator (its statistics are the creator's) or a
/// clipper (its uploads are clips of creators).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChannelRole>))]
public enum ChannelRole
{
    [JsonStringEnumMemberName("creator")] Creator = 1,
    [JsonStringEnumMemberName("clipper")] Clipper = 2,
}

/// <summary>The quota gauge: units used today, the day's limit and when Google resets it.</summary>
public sealed record QuotaView(int Used, int Limit, DateTime ResetsAt);

/// <summary>One source as ADMIN and the API show it. The key itself is never returned: only its last 4 characters.</summary>
public sealed record MarketSourceView(
    Platform Platform,
    SourceStatus Status,
    string? Reason,
    string? KeyHint,
    QuotaView Quota,
    DateTime? LastRunAt,
    string? LastError,
    int Monitored);

/// <summary>The stored state of a source: credentials reference, validation, the quota ledger of the current
/// Pacific day, the block after a <c>quotaExceeded</c>, and the planner's next due time.</summary>
public sealed record SourceState
{
    public required Platform Platform { get; init; }

    public SourceStatus Status { get; init; }

    public string? Reason { get; init; }

    /// <summary>Secret-store reference of the API key / access token (null when none is stored).</summary>
    public string? SecretReference { get; init; }

    public string? KeyHint { get; init; }

    /// <summary>Instagram: the Business/Creator account id the discovery calls go through.</summary>
    public string? AccountId { get; init; }

    /// <summary>The Pacific-time day (yyyy-MM-dd) <see cref="QuotaUsed"/> belongs to.</summary>
    public string QuotaDay { get; init; } = "";

    public int QuotaUsed { get; init; }

    /// <summary>No call before this instant (set by <c>quotaExceeded</c> to the next Pacific midnight).</summary>
    public DateTime? BlockedUntil { get; init; }

    public DateTime? LastRunAt { get; init; }

    public string? LastError { get; init; }

    /// <summary>The planner's next statistics poll.</summary>
    public DateTime? NextPollAt { get; init; }
}

/// <summary>A monitored channel (creator or clipper) of a platform.</summary>
/// <param name="EntityId">The market id of its creator (role creator) or clipper account (role clipper).</param>
/// <param name="CreatorIds">Clippers: the creators the admin says it clips (attribution by mapping).</param>
public sealed record MonitoredChannel(
    int Id,
    Platform Platform,
    ChannelRole Role,
    string ExternalId,
    string Handle,
    string Title,
    int EntityId,
    string? UploadsPlaylistId,
    long? LastVideoCount,
    DateTime? LastUploadsAt,
    bool Active,
    IReadOnlyList<int> CreatorIds,
    DateTime AddedAt);

/// <summary>A platform video the poller follows: a clipper's upload (a market clip) or a creator's own
/// video (live detection, live → VOD).</summary>
public sealed record TrackedVideo
{
    public required string VideoId { get; init; }

    public required int ChannelId { get; init; }

    public required ChannelRole Role { get; init; }

    public DateTime PublishedAt { get; init; }

    /// <summary>The market clip this upload became (clippers, once attributed).</summary>
    public int? ClipId { get; init; }

    /// <summary>The VOD this ended live stream became.</summary>
    public Guid? VodId { get; init; }

    public bool Live { get; init; }

    public long? ConcurrentViewers { get; init; }

    public long LastViews { get; init; }

    /// <summary>Last time its view count moved (a video that stopped moving is polled less).</summary>
    public DateTime? LastChangedAt { get; init; }

    /// <summary>Why it was attributed to its creator, or why not (clippers).</summary>
    public string? Attribution { get; init; }

    public string? Title { get; init; }

    /// <summary>Live streams: <c>liveStreamingDetails.actualStartTime</c>.</summary>
    public DateTime? LiveStartedAt { get; init; }
}

/// <summary>One polling run, for ADMIN (records written, units charged, errors).</summary>
public sealed record SourceRun(Platform Platform, DateTime StartedAt, DateTime FinishedAt, int Calls, int Units, int Records, int Errors, string? Error);

/// <summary>A creator that is live now (LIVE marker with concurrent viewers).</summary>
public sealed record LiveNow(int CreatorId, string Handle, Platform Platform, string VideoId, string Title, long? ConcurrentViewers, DateTime? StartedAt, string Url);

/// <summary>A new market creator made from a resolved channel.</summary>
public sealed record NewCreator(Platform Platform, string ExternalId, string Handle, string DisplayName, string? Topic, string? UploadsPlaylistId, long? VideoCount);

/// <summary>A new clipper account made from a resolved channel.</summary>
public sealed record NewClipper(Platform Platform, string ExternalId, string Handle, string DisplayName, string? UploadsPlaylistId, long? VideoCount, IReadOnlyList<int> CreatorIds);

/// <summary>An upload attributed to a creator: becomes a market clip.</summary>
public sealed record NewClip(string VideoId, int ChannelId, string Title, int CreatorId, int ClipperId, DateTime PublishedAt, string Attribution);

/// <summary>An ended live stream: becomes a VOD of its creator (the terminal never downloads platform media).</summary>
public sealed record EndedLive(string VideoId, int CreatorId, string Title, DateTime PublishedAt, double DurationSeconds, string PlatformUrl, string? ThumbnailUrl);

/// <summary>Monitored creators live now (the LIVE markers of CRTR and the ticker).</summary>
public interface ILiveStreams
{
    Task<IReadOnlyList<LiveNow>> GetLiveAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// The monitored universe and its sources (SPEC §9), the only code that reads or writes their tables.
/// </summary>
public interface IMarketSourceStore : ILiveStreams
{
    Task<SourceState> GetStateAsync(Platform platform, CancellationToken cancellationToken = default);

    Task SaveStateAsync(SourceState state, CancellationToken cancellationToken = default);

    /// <summary>Adds <paramref name="units"/> to the ledger of <paramref name="pacificDay"/> (starting it at 0
    /// when the day changed) in one statement; returns the day's total.</summary>
    Task<int> ChargeQuotaAsync(Platform platform, string pacificDay, int units, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<MonitoredChannel>> GetChannelsAsync(Platform platform, bool activeOnly, CancellationToken cancellationToken = default);

    Task<MonitoredChannel?> FindChannelAsync(Platform platform, string externalId, CancellationToken cancellationToken = default);

    /// <summary>Creates the creator (and its topic when new) and its channel in one transaction.
    /// Throws a conflict when the channel or the handle is already in the market.</summary>
    Task<(Creator Creator, Topic Topic, bool TopicCreated, MonitoredChannel Channel)> AddCreatorAsync(NewCreator creator, DateTime now, CancellationToken cancellationToken = default);

    Task<(ClipperAccount Clipper, MonitoredChannel Channel)> AddClipperAsync(NewClipper clipper, DateTime now, CancellationToken cancellationToken = default);

    /// <summary>Stops monitoring a creator (history kept); false when it is not a monitored creator.</summary>
    Task<bool> StopMonitoringCreatorAsync(int creatorId, CancellationToken cancellationToken = default);

    Task UpdateChannelAsync(int channelId, long? videoCount, DateTime? uploadsAt, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TrackedVideo>> GetVideosAsync(Platform platform, CancellationToken cancellationToken = default);

    /// <summary>Upserts followed videos.</summary>
    Task SaveVideosAsync(IEnumerable<TrackedVideo> videos, CancellationToken cancellationToken = default);

    /// <summary>Writes the clips (ids allocated in the live range) and marks their videos; returns the stored clips.</summary>
    Task<IReadOnlyList<MarketClip>> AddClipsAsync(IReadOnlyList<NewClip> clips, CancellationToken cancellationToken = default);

    /// <summary>Writes a VOD for each ended live stream and marks its video.</summary>
    Task<IReadOnlyList<Vod>> AddEndedLivesAsync(IReadOnlyList<EndedLive> lives, DateTime now, CancellationToken cancellationToken = default);

    Task RecordRunAsync(SourceRun run, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SourceRun>> GetRunsAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Monitored creators with their market summary (ADMIN list).</summary>
    Task<IReadOnlyList<(MonitoredChannel Channel, string Topic)>> GetMonitoredAsync(CancellationToken cancellationToken = default);
}
