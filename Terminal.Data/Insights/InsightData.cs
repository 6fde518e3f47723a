using Terminal.Core.Insights;
using Terminal.Core.Market;

namespace Terminal.Data.Insights;

/// <summary>
/// <see cref="IInsightData"/> over the database: market clips with their stored clip readings, and a
/// user's linked-account posts with their <see cref="PostSnapshot"/>s. Views at the age are read by
/// interpolation (<see cref="InsightMath.ViewsAtAge"/>), never extrapolated. Read-only, <c>AsNoTracking</c>.
/// </summary>
public sealed class InsightData(IDbContextFactory<TerminalDbContext> dbFactory) : IInsightData
{
    public async Task<IReadOnlyList<InsightPost>> MarketClipsAsync(Platform? platform, DateTime from, DateTime to, TimeSpan age, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Clips.AsNoTracking().Where(c => c.PublishedAt >= from && c.PublishedAt <= to);
        if (platform is { } p)
        {
            query = query.Where(c => c.Platform == p);
        }

        var clips = await query.OrderBy(c => c.Id).ToListAsync(cancellationToken);
        if (clips.Count == 0)
        {
            return [];
        }

        // Readings from the first publication up to just past the latest target (the first reading after a target closes its interpolation).
        var readFrom = clips.Min(c => c.PublishedAt);
        var readTo = clips.Max(c => c.PublishedAt) + age + age;
        var wanted = clips.Select(c => c.Id).ToHashSet();
        var readings = new Dictionary<int, List<(DateTime, long)>>();
        var rows = db.Snapshots.AsNoTracking()
            .Where(s => s.Kind == EntityKind.Clip && s.At >= readFrom && s.At <= readTo)
            .OrderBy(s => s.At)
            .Select(s => new { s.EntityId, s.At, s.Views })
            .AsAsyncEnumerable();
        await foreach (var s in rows.WithCancellation(cancellationToken))
        {
            if (!wanted.Contains(s.EntityId))
            {
                continue;
            }

            if (!readings.TryGetValue(s.EntityId, out var list))
            {
                readings[s.EntityId] = list = [];
            }

            list.Add((s.At, s.Views));
        }

        return clips.Select(c => new InsightPost(
                InsightRows.ClipEntity(c.Id), c.Title, c.CreatorId, c.Platform, c.PublishedAt, InsightRows.ClipFeatures(c),
                readings.TryGetValue(c.Id, out var r) ? InsightMath.ViewsAtAge(r, c.PublishedAt, age) : null, InsightRows.ClipHref(c)))
            .ToList();
    }

    public async Task<IReadOnlyList<InsightPost>> OwnPostsAsync(string userId, Platform? platform, DateTime from, DateTime to, TimeSpan age, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.PlatformPosts.AsNoTracking().Where(p => p.UserId == userId && p.PublishedAt >= from && p.PublishedAt <= to);
        if (platform is { } pf)
        {
            query = query.Where(p => p.Platform == pf);
        }

        var posts = await query.OrderBy(p => p.Id).ToListAsync(cancellationToken);
        if (posts.Count == 0)
        {
            return [];
        }

        var ids = posts.Select(p => p.Id).ToList();
        var snapshots = await db.PostSnapshots.AsNoTracking()
            .Where(s => ids.Contains(s.PlatformPostId) && s.Views != null)
            .OrderBy(s => s.At)
            .Select(s => new { s.PlatformPostId, s.At, s.Views })
            .ToListAsync(cancellationToken);
        var byPost = snapshots.GroupBy(s => s.PlatformPostId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<(DateTime, long)>)g.Select(s => (s.At, s.Views!.Value)).ToArray());

        return posts.Select(p => new InsightPost(
                InsightRows.PostEntity(p.Id), p.Title, (int)p.PlatformAccountId, p.Platform, p.PublishedAt,
                PostFeatures.Compute(p.Title, p.Platform, p.PublishedAt, p.DurationSeconds, p.Format ?? InsightRows.DefaultFormat(p.Platform)),
                byPost.TryGetValue(p.Id, out var r) ? InsightMath.ViewsAtAge(r, p.PublishedAt, age) : null, p.Url))
            .ToList();
    }

    public async Task<IReadOnlyList<TopicSupply>> TopicSuppliesAsync(Platform? platform, DateTime now, TimeSpan window, IReadOnlyDictionary<int, double> demand, CancellationToken cancellationToken = default)
    {
        var from = now - window;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var topics = await db.Topics.AsNoTracking().OrderBy(t => t.Id).Select(t => new { t.Id, t.Name }).ToListAsync(cancellationToken);
        var clips = db.Clips.AsNoTracking().Where(c => c.PublishedAt > from && c.PublishedAt <= now);
        var creators = db.Creators.AsNoTracking();
        if (platform is { } p)
        {
            clips = clips.Where(c => c.Platform == p);
            creators = creators.Where(c => c.Platform == p);
        }

        var posts = await clips.GroupBy(c => c.TopicId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var creatorTopic = await creators.Select(c => new { c.Id, c.TopicId }).ToDictionaryAsync(c => c.Id, c => c.TopicId, cancellationToken);
        // Views grew inside the window: the last reading in it is above the last reading at or before its start.
        var inWindow = await db.Snapshots.AsNoTracking()
            .Where(s => s.Kind == EntityKind.Creator && s.At > from && s.At <= now)
            .GroupBy(s => s.EntityId).Select(g => new { g.Key, Max = g.Max(s => s.Views) })
            .ToListAsync(cancellationToken);
        var before = await db.Snapshots.AsNoTracking()
            .Where(s => s.Kind == EntityKind.Creator && s.At <= from)
            .GroupBy(s => s.EntityId).Select(g => new { g.Key, Max = g.Max(s => s.Views) })
            .ToDictionaryAsync(x => x.Key, x => x.Max, cancellationToken);
        var active = inWindow
            .Where(x => creatorTopic.ContainsKey(x.Key) && x.Max > before.GetValueOrDefault(x.Key))
            .GroupBy(x => creatorTopic[x.Key]).ToDictionary(g => g.Key, g => g.Count());

        return topics
            .Where(t => demand.ContainsKey(t.Id))
            .Select(t => new TopicSupply(t.Id, t.Name, demand[t.Id], active.GetValueOrDefault(t.Id), posts.GetValueOrDefault(t.Id)))
            .ToList();
    }
}
