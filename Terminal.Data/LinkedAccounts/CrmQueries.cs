using Terminal.Core.LinkedAccounts;

namespace Terminal.Data.LinkedAccounts;

/// <summary>
/// The Creator CRM (SPEC §2, §4) from one user's own linked accounts. Definitions:
/// <list type="bullet">
/// <item><c>followers</c>: the latest follower count each platform reported, summed; its delta is
/// that minus the count at the start of the period (or the first count inside it).</item>
/// <item><c>views</c>, <c>likes</c>, <c>comments</c>, <c>shares</c>: sums of the metrics the platforms
/// reported for posts published in the period; deltas against the previous period of equal length.</item>
/// <item><c>engagementRate</c>: SPEC §3's view-weighted rate over the same posts.</item>
/// </list>
/// Numbers are summed, never estimated: a metric the platform did not report adds nothing.
/// </summary>
public sealed class CrmQueries(IDbContextFactory<TerminalDbContext> dbFactory, TimeProvider clock) : ICrmQueries
{
    public async Task<CrmPerformance> GetPerformanceAsync(string userId, TimeSpan period, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var from = now - period;
        var previousFrom = from - period;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        var accounts = await db.PlatformAccounts.AsNoTracking()
            .Where(a => a.UserId == userId && a.Status != LinkStatus.Disconnected)
            .Select(a => new { a.Id, a.Platform })
            .ToListAsync(cancellationToken);
        if (accounts.Count == 0)
        {
            return CrmPerformance.Empty;
        }

        var accountIds = accounts.Select(a => a.Id).ToList();
        var snapshots = await db.AccountSnapshots.AsNoTracking()
            .Where(s => s.UserId == userId && accountIds.Contains(s.PlatformAccountId) && s.At <= now)
            .OrderBy(s => s.At)
            .ToListAsync(cancellationToken);
        var posts = await db.PlatformPosts.AsNoTracking()
            .Where(p => p.UserId == userId && accountIds.Contains(p.PlatformAccountId) && p.PublishedAt >= previousFrom && p.PublishedAt <= now)
            .ToListAsync(cancellationToken);

        long followers = 0, followersDelta = 0;
        foreach (var account in accounts)
        {
            var own = snapshots.Where(s => s.PlatformAccountId == account.Id && s.Followers.HasValue).ToList();
            if (own.Count == 0)
            {
                continue;
            }

            var latest = own[^1].Followers!.Value;
            var start = own.LastOrDefault(s => s.At <= from) ?? own[0];
            followers += latest;
            followersDelta += latest - start.Followers!.Value;
        }

        var current = posts.Where(p => p.PublishedAt >= from).ToList();
        var previous = posts.Where(p => p.PublishedAt < from).ToList();
        var kpis = Totals(followers, current);
        var before = Totals(followers - followersDelta, previous);
        var deltas = new CrmKpis(
            followersDelta,
            kpis.Views - before.Views,
            kpis.Likes - before.Likes,
            kpis.Comments - before.Comments,
            kpis.Shares - before.Shares,
            kpis.EngagementRate is { } rate && before.EngagementRate is { } earlier ? rate - earlier : null);

        var series = new List<CrmSeries>();
        foreach (var account in accounts.OrderBy(a => a.Platform))
        {
            var own = snapshots.Where(s => s.PlatformAccountId == account.Id && s.At >= from).ToList();
            series.Add(new CrmSeries(account.Platform, "followers", Points(own, s => s.Followers)));
            series.Add(new CrmSeries(account.Platform, "views", Points(own, s => s.Views)));
            series.Add(new CrmSeries(account.Platform, "likes", Points(own, s => s.Likes)));
        }

        var recent = current
            .OrderByDescending(p => p.PublishedAt)
            .Take(200)
            .Select(p => new CrmPost(p.Platform, p.Title, p.PublishedAt, p.Views, p.Likes, p.Comments, p.Shares,
                Engagement.PostRate(p.Views, p.Likes, p.Comments, p.Shares, p.Saves), p.Url))
            .ToList();

        return new CrmPerformance(kpis, deltas, series, recent);
    }

    private static CrmKpis Totals(long followers, List<PlatformPost> posts) => new(
        followers,
        posts.Sum(p => p.Views ?? 0),
        posts.Sum(p => p.Likes ?? 0),
        posts.Sum(p => p.Comments ?? 0),
        posts.Sum(p => p.Shares ?? 0),
        Engagement.AccountRate(posts.Select(p => (p.Views, p.Likes, p.Comments, p.Shares, p.Saves))));

    private static List<CrmPoint> Points(List<AccountSnapshot> snapshots, Func<AccountSnapshot, long?> metric) =>
        snapshots.Where(s => metric(s).HasValue).Select(s => new CrmPoint(s.At, metric(s)!.Value)).ToList();
}
