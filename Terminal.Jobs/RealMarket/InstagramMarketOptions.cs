using System.ComponentModel.DataAnnotations;

namespace Terminal.Jobs.RealMarket;

/// <summary><c>Terminal:Market:Instagram</c>: the public Instagram market through Business Discovery (SPEC §9).</summary>
public sealed class InstagramMarketOptions
{
    public const string Section = "Terminal:Market:Instagram";

    /// <summary>The Facebook Graph API root (Business Discovery is a Facebook-Login API, not graph.instagram.com).</summary>
    [Required, Url] public string GraphApiBaseUrl { get; set; } = "https://graph.facebook.com/v21.0";

    /// <summary>Each monitored handle is read at most this often (one call per handle).</summary>
    [Range(5, 86_400)] public int PollIntervalSeconds { get; set; } = 3600;

    /// <summary>Past this share of any Business Use Case budget (call_count, total_time, total_cputime, in %)
    /// the planner stretches the interval.</summary>
    [Range(1, 100)] public int SlowDownAtPercent { get; set; } = 75;

    /// <summary>At this share a run stops calling; the rest of the handles wait for the next run.</summary>
    [Range(1, 100)] public int StopAtPercent { get; set; } = 95;

    /// <summary>Recent media asked for per handle (the <c>media.limit(n)</c> of the discovery call).</summary>
    [Range(1, 100)] public int MediaPerHandle { get; set; } = 25;
}
