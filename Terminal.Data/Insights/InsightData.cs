using Terminal.Core.Insights;
using Terminal.Core.Market;

namespace Terminal.Data.Insights;

/// <summary>
/// <see cref="IInsightData"/> over the database: market clips with their stored clip readings, and a
/// user's linked-account posts with their <see cref="PostSnapshot"/>s. Views at the age are read by
/// interpolation (<see cref="InsightMath.ViewsAtAge"/>), never extrapolated. Features are read as stored
/// with each row (<see cref="StoredPostFeatures"/>), not recomputed. Read-only, <c>AsNoTracking</c>.
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

        var stored = await query.OrderBy(c => c.Id).Select(c => new { Clip = c, Features = EF.Property<string?>(c, StoredPostFeatures.Column) }).ToListAsync(cancellationToken);
        var clips = stored.ConvertAll(x => x.Clip);
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

        // Features as stored with the clip; computed here only for a clip the backfill has not reached yet.
        return stored.Select(x => new InsightPost(
                InsightRows.ClipEntity(x.Clip.Id), x.Clip.Title, x.Clip.CreatorId, x.Clip.Platform, x.Clip.PublishedAt,
                PostFeatures.Decode(x.Features) ?? StoredPostFeatures.Of(x.Clip),
                readings.TryGetValue(x.Clip.Id, out var r) ? InsightMath.ViewsAtAge(r, x.Clip.PublishedAt, age) : null, InsightRows.ClipHref(x.Clip)))
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

        var stored = await query.OrderBy(p => p.Id).Select(p => new { Post = p, Features = EF.Property<string?>(p, StoredPostFeatures.Column) }).ToListAsync(cancellationToken);
        var posts = stored.ConvertAll(x => x.Post);
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

        return stored.Select(x => new InsightPost(
                InsightRows.PostEntity(x.Post.Id), x.Post.Title, (int)x.Post.PlatformAccountId, x.Post.Platform, x.Post.PublishedAt,
                PostFeatures.Decode(x.Features) ?? StoredPostFeatures.Of(x.Post),
                byPost.TryGetValue(x.Post.Id, out var r) ? InsightMath.ViewsAtAge(r, x.Post.PublishedAt, age) : null, x.Post.Url))
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
