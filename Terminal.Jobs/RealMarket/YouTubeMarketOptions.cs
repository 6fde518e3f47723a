using System.ComponentModel.DataAnnotations;

namespace Terminal.Jobs.RealMarket;

/// <summary><c>Terminal:Market:YouTube</c>: the public YouTube market (SPEC §9).</summary>
public sealed class YouTubeMarketOptions
{
    public const string Section = "Terminal:Market:YouTube";

    /// <summary>A Data API v3 key; one stored through <c>PUT /api/market/sources/youtube</c> takes precedence.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Channel statistics poll interval (the planner stretches it to stay within the day's quota).</summary>
    [Range(5, 86_400)] public int StatsIntervalSeconds { get; set; } = 3600;

    /// <summary>Uploads are read when a channel's videoCount changes, or at least this often.</summary>
    [Range(1, 24 * 30)] public int UploadsSweepHours { get; set; } = 24;

    /// <summary>Units per Pacific day (Google's default project quota).</summary>
    [Range(1, 10_000_000)] public int DailyQuota { get; set; } = 10_000;

    /// <summary>Videos younger than this, live, or whose views moved in the last two days are polled.</summary>
    [Range(1, 365)] public int MovingDays { get; set; } = 7;

    /// <summary>Share of the remaining quota the planner may plan for (the rest is a reserve for admin actions).</summary>
    [Range(0.1, 1.0)] public double PlannedShare { get; set; } = 0.9;
}
