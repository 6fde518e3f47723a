namespace Terminal.Core.Clips;

/// <summary>Lifecycle of a clip request (SPEC §4). Ready, Failed and Cancelled are final.</summary>
public enum ClipStatus
{
    Pending = 1,
    Processing = 2,
    Ready = 3,
    Failed = 4,
    Cancelled = 5,
}

/// <summary>How a clip is cut (SPEC §4).</summary>
public enum ClipMode
{
    /// <summary>Keyframe stream copy with input seeking: fast, starts at the keyframe at or before the start.</summary>
    Fast = 1,

    /// <summary>Frame-accurate H.264/AAC re-encode: the first frame is the first source frame at or after the start.</summary>
    Exact = 2,
}

/// <summary>How a clip's file was actually made (shown in ADMIN, <c>strategy</c> in the status API).</summary>
public enum ClipCutStrategy
{
    /// <summary>Keyframe stream copy (<see cref="ClipMode.Fast"/>).</summary>
    Copy = 1,

    /// <summary>Exact: only the partial GOPs at the start and end are re-encoded, the whole GOPs between are
    /// stream-copied and the parts joined without re-encoding; audio re-encoded sample-accurately.</summary>
    Smart = 2,

    /// <summary>Exact: the whole range re-encoded (the fallback when smart cut is not safe for the source).</summary>
    Reencode = 3,
}

/// <summary>
/// One clip request. The row is the truth about the job: the scheduler only carries its id, so a
/// restart re-queues whatever the table says is unfinished.
/// </summary>
public sealed class ClipRequest
{
    public Guid Id { get; set; }

    /// <summary>The owner; nobody else can see, download, cancel or retry it (admins aside).</summary>
    public required string UserId { get; set; }

    public Guid VodId { get; set; }

    public double StartSeconds { get; set; }

    public double EndSeconds { get; set; }

    public ClipMode Mode { get; set; }

    /// <summary>How the finished file was cut; null until a worker has cut it.</summary>
    public ClipCutStrategy? Strategy { get; set; }

    /// <summary>Why an exact clip was not smart-cut (its <see cref="Strategy"/> is then <c>reencode</c>); null otherwise.
    /// At most <see cref="FallbackReasonMaxLength"/> characters.</summary>
    public string? FallbackReason { get; set; }

    public const int FallbackReasonMaxLength = 256;

    public ClipStatus Status { get; set; } = ClipStatus.Pending;

    /// <summary>Percent done, 0–100.</summary>
    public double Progress { get; set; }

    public string? Error { get; set; }

    /// <summary>Credits charged for it (refunded once if it fails or is cancelled).</summary>
    public int Credits { get; set; }

    /// <summary>How many times it has been charged (the first request and each retry); the charge and
    /// its refund carry the ledger reference <c>clip:{Id}:{Charges}</c>, so each is applied once.</summary>
    public int Charges { get; set; }

    /// <summary>How many times a worker has started it (restarts and retries count).</summary>
    public int Attempts { get; set; }

    /// <summary>The machine/process that runs it now, for ADMIN.</summary>
    public string? Worker { get; set; }

    /// <summary>Until when <see cref="Worker"/> holds it (renewed while it runs). Recovery on any node takes
    /// back only processing rows whose lease has expired, so a live job of another node is left alone.</summary>
    public DateTime? LeaseExpiresAt { get; set; }

    /// <summary>File name of the finished clip inside the clips folder; null until ready and after expiry.</summary>
    public string? OutputFile { get; set; }

    public long? OutputBytes { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    /// <summary>When the retention job deletes the file.</summary>
    public DateTime? ExpiresAt { get; set; }

    public double DurationSeconds => EndSeconds - StartSeconds;

    public bool IsFinal => Status is ClipStatus.Ready or ClipStatus.Failed or ClipStatus.Cancelled;
}

/// <summary>
/// What the probe learnt about a VOD's media beyond <see cref="Market.Vod"/>'s own fields (kept apart
/// so the market's VOD entity stays the market's): codecs, frame rate, the thumbnail strip and the
/// file the browser player streams.
/// </summary>
public sealed class VodMedia
{
    public Guid VodId { get; set; }

    public string? VideoCodec { get; set; }

    public string? AudioCodec { get; set; }

    /// <summary>Frames per second of the video stream (frame stepping on the timeline).</summary>
    public double? FrameRate { get; set; }

    /// <summary>Tiles in the thumbnail strip (one sprite image, tiles side by side, evenly spaced over the VOD).</summary>
    public int ThumbnailTiles { get; set; }

    /// <summary>Path of the sprite, relative to the data directory; null until made.</summary>
    public string? ThumbnailFile { get; set; }

    /// <summary>The MP4 the player streams, relative to the data directory (the demo file itself, or a
    /// server-made preview of a remote source); null until ready.</summary>
    public string? PlayerFile { get; set; }

    public DateTime? ProbedAt { get; set; }
}

/// <summary>Pushed to the owner of a clip request (SPEC §5 <c>ClipProgress</c>).</summary>
public sealed record ClipProgress(Guid RequestId, ClipStatus Status, double Progress);

/// <summary>Delivers <see cref="ClipProgress"/> to one user only (the hub in the web app, in-process panels).</summary>
public interface IClipProgressNotifier
{
    Task NotifyAsync(string userId, ClipProgress progress, CancellationToken cancellationToken = default);
}
