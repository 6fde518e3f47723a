using System.ComponentModel.DataAnnotations;

namespace Terminal.Jobs.Clips;

/// <summary><c>Terminal:Clips</c>: the clip pipeline.</summary>
public sealed class ClipOptions
{
    public const string Section = "Terminal:Clips";

    /// <summary>Clip encodes running at once (the rest wait as <c>pending</c>).</summary>
    [Range(1, 64)]
    public int MaxConcurrentJobs { get; set; } = 2;

    /// <summary>How long a finished clip is kept before the retention job deletes it.</summary>
    [Range(1, 24 * 365)]
    public int RetentionHours { get; set; } = 72;

    /// <summary>Lifetime of a signed download link.</summary>
    [Range(1, 24 * 60)]
    public int DownloadLinkMinutes { get; set; } = 15;

    /// <summary>Worker starts (restarts included) before a job is failed and refunded instead of resumed.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long a worker's claim on a running clip lasts without renewal (it renews while ffmpeg
    /// runs). Recovery on any node takes back only clips whose lease has lapsed.</summary>
    [Range(5, 3600)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>Exact clips are smart-cut (only the partial GOPs at the ends re-encoded) where the source allows;
    /// false re-encodes every exact clip in full. Read per cut, so it can be switched without a restart.</summary>
    public bool SmartCut { get; set; } = true;

    /// <summary>A smart cut's join starts with the head/tail encode and waits for its parts on a named pipe (Linux,
    /// macOS), so its start-up costs no wall time; false starts it after the encode. Read per cut.</summary>
    public bool OverlapJoin { get; set; } = true;
}
