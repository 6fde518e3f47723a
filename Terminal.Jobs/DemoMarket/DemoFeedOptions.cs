using System.ComponentModel.DataAnnotations;

namespace Terminal.Jobs.DemoMarket;

/// <summary><c>Terminal:DemoFeed</c>: the built-in simulated market (SPEC §6).</summary>
public sealed class DemoFeedOptions
{
    public const string Section = "Terminal:DemoFeed";

    /// <summary>Off: no demo entities, no backfill, no live movement.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Same seed ⇒ same entities and the same snapshot values (relative to the first start).</summary>
    public int Seed { get; set; } = 20261124;

    [Range(1, 100_000)]
    public int Creators { get; set; } = 300;

    [Range(1, 100_000)]
    public int Clippers { get; set; } = 150;

    /// <summary>Average clips per creator over history plus <see cref="FutureDays"/> of scheduled publications.</summary>
    [Range(0, 1_000)]
    public double ClipsPerCreator { get; set; } = 8;

    [Range(0, 20)]
    public int VodsPerCreator { get; set; } = 3;

    [Range(1, 90)]
    public int HistoryDays { get; set; } = 30;

    /// <summary>Days after the first start over which clips keep being published live.</summary>
    [Range(0, 365)]
    public int FutureDays { get; set; } = 7;

    /// <summary>Backfill grid: one snapshot per entity per interval (clips older than 48 h: every 6 intervals).</summary>
    [Range(5, 1_440)]
    public int SnapshotIntervalMinutes { get; set; } = 60;

    /// <summary>Live movement period.</summary>
    [Range(50, 60_000)]
    public int TickIntervalMilliseconds { get; set; } = 1_000;

    /// <summary>False: backfill only, the market stands still (tests that compare numbers).</summary>
    public bool Live { get; set; } = true;
}
