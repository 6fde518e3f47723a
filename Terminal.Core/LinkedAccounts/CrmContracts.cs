using Terminal.Core.Market;

namespace Terminal.Core.LinkedAccounts;

/// <summary>CRM periods of SPEC §2/§4.</summary>
public static class CrmPeriods
{
    public static bool TryParse(string? value, out TimeSpan period)
    {
        period = (value ?? "30d").Trim().ToLowerInvariant() switch
        {
            "7d" => TimeSpan.FromDays(7),
            "30d" => TimeSpan.FromDays(30),
            "90d" => TimeSpan.FromDays(90),
            _ => TimeSpan.Zero,
        };
        return period > TimeSpan.Zero;
    }
}

/// <summary>The six CRM numbers. Counts are sums of what the platforms reported; the rate is SPEC §3's
/// view-weighted engagement rate (null when there are no views to weigh by).</summary>
public sealed record CrmKpis(long Followers, long Views, long Likes, long Comments, long Shares, double? EngagementRate)
{
    public static readonly CrmKpis Zero = new(0, 0, 0, 0, 0, 0);
}

public sealed record CrmPoint(DateTime T, double V);

public sealed record CrmSeries(Platform Platform, string Metric, IReadOnlyList<CrmPoint> Points);

/// <summary>One post with its metrics exactly as fetched; null = the platform gave no number.</summary>
public sealed record CrmPost(Platform Platform, string Title, DateTime PublishedAt, long? Views, long? Likes, long? Comments, long? Shares, double? EngagementRate, string? Url);

/// <summary><c>GET /api/crm/performance</c> (SPEC §4).</summary>
public sealed record CrmPerformance(CrmKpis Kpis, CrmKpis Deltas, IReadOnlyList<CrmSeries> Series, IReadOnlyList<CrmPost> Posts)
{
    public static readonly CrmPerformance Empty = new(CrmKpis.Zero, CrmKpis.Zero, [], []);
}

/// <summary>SPEC §3: engagement rate.</summary>
public static class Engagement
{
    /// <summary>A post's <c>(likes + comments + shares + saves) / views</c>; missing interaction counts
    /// count as 0, missing or zero views give null (no rate, rather than a made-up one).</summary>
    public static double? PostRate(long? views, long? likes, long? comments, long? shares, long? saves) =>
        views is > 0 ? (double)((likes ?? 0) + (comments ?? 0) + (shares ?? 0) + (saves ?? 0)) / views.Value : null;

    /// <summary>An account's view-weighted rate: Σ interactions / Σ views over posts that report views,
    /// which equals the mean of post rates weighted by each post's views.</summary>
    public static double? AccountRate(IEnumerable<(long? Views, long? Likes, long? Comments, long? Shares, long? Saves)> posts)
    {
        long views = 0, interactions = 0;
        foreach (var p in posts)
        {
            if (p.Views is not > 0)
            {
                continue;
            }

            views += p.Views.Value;
            interactions += (p.Likes ?? 0) + (p.Comments ?? 0) + (p.Shares ?? 0) + (p.Saves ?? 0);
        }

        return views > 0 ? (double)interactions / views : null;
    }
}
