using Terminal.Core.Clips;
using Terminal.Core.Common;
using Terminal.Core.Market;
using Terminal.Core.Trends;

namespace Terminal.Data.Market;

/// <summary>
/// <see cref="IMarketQueries"/> over the database (entities, stored series) and the trend engine
/// (velocities, heat and the other SPEC §3 numbers, kept incrementally). Read-only, <c>AsNoTracking</c>.
/// </summary>
public sealed class MarketQueries(IDbContextFactory<TerminalDbContext> dbFactory, TrendEngine engine, TimeProvider time) : IMarketQueries
{
    /// <summary>Most points a series returns; denser stored series keep the last reading of each of this many equal buckets.</summary>
    public const int MaxPoints = 1_000;

    /// <summary>Points of a derived clipper-count series.</summary>
    public const int ClipperCountPoints = 48;

    public async Task<IReadOnlyList<CreatorSummary>> SearchCreatorsAsync(string? search, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Creators.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = "%" + search.Trim().ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            query = query.Where(c => EF.Functions.Like(c.Handle.ToLower(), pattern, "\\") || EF.Functions.Like(c.DisplayName.ToLower(), pattern, "\\"));
        }

        var creators = await query.ToListAsync(cancellationToken);
        var topics = await TopicNamesAsync(db, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var term = search?.Trim() ?? "";
        return creators
            .OrderByDescending(c => string.Equals(c.Handle, term, StringComparison.OrdinalIgnoreCase))
            .ThenByDescending(c => engine.ValueAt(EntityKind.Creator, c.Id, Metric.Followers, now))
            .ThenBy(c => c.Id)
            .Take(Math.Max(0, limit))
            .Select(c => Summary(c, topics))
            .ToList();
    }

    public async Task<CreatorSummary?> FindCreatorAsync(string idOrHandle, CancellationToken cancellationToken = default)
    {
        var key = idOrHandle.Trim().TrimStart('@');
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        List<Creator> candidates;
        if (int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            candidates = await db.Creators.AsNoTracking().Where(c => c.Id == id).ToListAsync(cancellationToken);
        }
        else
        {
            var lower = key.ToLowerInvariant();
#pragma warning disable CA1862 // string.Equals(…, OrdinalIgnoreCase) does not translate to SQL; lower() does on both providers.
            candidates = await db.Creators.AsNoTracking().Where(c => c.Handle.ToLower() == lower).ToListAsync(cancellationToken);
#pragma warning restore CA1862
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var best = candidates.OrderByDescending(c => engine.ValueAt(EntityKind.Creator, c.Id, Metric.Followers, now)).ThenBy(c => c.Id).First();
        return Summary(best, await TopicNamesAsync(db, cancellationToken));
    }

    public async Task<CreatorKpis?> GetCreatorKpisAsync(int creatorId, Period period, CancellationToken cancellationToken = default)
    {
        if (!await EntityExistsAsync(EntityKind.Creator, creatorId, cancellationToken))
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var row = engine.Find(EntityKind.Creator, creatorId, period);
        return new CreatorKpis(
            Followers: engine.ValueAt(EntityKind.Creator, creatorId, Metric.Followers, now),
            Views: engine.ValueAt(EntityKind.Creator, creatorId, Metric.Views, now),
            Velocity: row?.Velocity ?? 0,
            Change: row?.Change,
            ClipperCount: row?.ClipperCount ?? 0,
            Heat: row?.Heat ?? 0,
            UnderClippedScore: row?.UnderClippedScore ?? 0,
            ClipShareOfVoice: row?.ClipShareOfVoice ?? 0,
            Trending: row?.Trending ?? false);
    }

    /// <summary>
    /// Stored metrics (views, likes, shares, followers): the readings taken in <c>[now − w, now]</c>, oldest
    /// first, cumulative as stored (at most <see cref="MaxPoints"/>: the last reading of each equal bucket).
    /// <c>velocity</c>: at each of those readings' instants <c>t</c>, views per hour over the preceding hour,
    /// <c>m(t) − m(t − 1 h)</c>. <c>clipperCount</c>: at <see cref="ClipperCountPoints"/> evenly spaced
    /// instants <c>t_k</c> ending now, the distinct clippers that published a clip of the entity in
    /// <c>(t_k − w, t_k]</c> (creators: of the creator; topics: in the topic; clips: 1 once published).
    /// </summary>
    public async Task<IReadOnlyList<SeriesPoint>> GetSeriesAsync(EntityKind kind, int id, string metric, Period period, CancellationToken cancellationToken = default)
    {
        var name = SeriesMetrics.Normalise(metric) ?? throw new TerminalException(ErrorKind.BadRequest, "invalid_metric", $"Unknown metric '{metric}'. Use one of: {string.Join(", ", SeriesMetrics.All)}.");
        var now = time.GetUtcNow().UtcDateTime;
        var w = period.Length();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (name == SeriesMetrics.ClipperCount)
        {
            return await ClipperCountSeriesAsync(db, kind, id, now, w, cancellationToken);
        }

        var from = now - w;
        var lookback = name == SeriesMetrics.Velocity ? TimeSpan.FromHours(1) : TimeSpan.Zero;
        var readings = await db.Snapshots.AsNoTracking()
            .Where(s => s.Kind == kind && s.EntityId == id && s.At >= from - lookback && s.At <= now)
            .OrderBy(s => s.At)
            .Select(s => new { s.At, s.Views, s.Likes, s.Shares, s.Followers })
            .ToListAsync(cancellationToken);

        if (name != SeriesMetrics.Velocity)
        {
            Func<long, long, long, long, long> pick = name switch
            {
                SeriesMetrics.Views => (v, _, _, _) => v,
                SeriesMetrics.Likes => (_, l, _, _) => l,
                SeriesMetrics.Shares => (_, _, s, _) => s,
                _ => (_, _, _, f) => f,
            };
            var points = readings.Select(r => new SeriesPoint(r.At, pick(r.Views, r.Likes, r.Shares, r.Followers))).ToList();
            return Thin(points, from, now);
        }

        // Velocity needs m(t − 1 h): the reading in force then may be older than the lookback.
        var before = await db.Snapshots.AsNoTracking()
            .Where(s => s.Kind == kind && s.EntityId == id && s.At < from - lookback)
            .OrderByDescending(s => s.At)
            .Select(s => new { s.At, s.Views })
            .FirstOrDefaultAsync(cancellationToken);
        var times = new List<long>(readings.Count + 1);
        var views = new List<long>(readings.Count + 1);
        if (before is not null)
        {
            times.Add(before.At.Ticks);
            views.Add(before.Views);
        }

        foreach (var r in readings)
        {
            times.Add(r.At.Ticks);
            views.Add(r.Views);
        }

        var result = new List<SeriesPoint>();
        foreach (var r in readings)
        {
            if (r.At < from)
            {
                continue;
            }

            var then = ValueAt(times, views, r.At.Ticks - TimeSpan.TicksPerHour);
            result.Add(new SeriesPoint(r.At, TrendFormulas.Velocity(r.Views, then, TimeSpan.FromHours(1))));
        }

        return Thin(result, from, now);
    }

    public async Task<IReadOnlyList<RankedClip>> GetTopClipsAsync(int creatorId, Period period, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var clips = await (from c in db.Clips.AsNoTracking()
                           join k in db.ClipperAccounts.AsNoTracking() on c.ClipperId equals k.Id
                           where c.CreatorId == creatorId
                           select new { Clip = c, k.Handle }).ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var w = period.Length();
        return clips
            .Select(x =>
            {
                var views = engine.ValueAt(EntityKind.Clip, x.Clip.Id, Metric.Views, now);
                var velocity = TrendFormulas.Velocity(views, engine.ValueAt(EntityKind.Clip, x.Clip.Id, Metric.Views, now - w), w);
                return new RankedClip(x.Clip.Id, x.Clip.Title, x.Clip.Platform, x.Clip.ClipperId, x.Handle, views, velocity, x.Clip.PublishedAt, x.Clip.VodId);
            })
            .OrderByDescending(c => c.Velocity)
            .ThenByDescending(c => c.Views)
            .ThenBy(c => c.Id)
            .Take(Math.Max(0, limit))
            .ToList();
    }

    /// <summary>Clippers of the creator ranked by the current views of their clips of this creator published in the period.</summary>
    public async Task<IReadOnlyList<RankedClipper>> GetTopClippersAsync(int creatorId, Period period, int limit, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var since = now - period.Length();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var clips = await (from c in db.Clips.AsNoTracking()
                           join k in db.ClipperAccounts.AsNoTracking() on c.ClipperId equals k.Id
                           where c.CreatorId == creatorId && c.PublishedAt > since && c.PublishedAt <= now
                           select new { c.Id, c.ClipperId, k.Handle, k.Platform }).ToListAsync(cancellationToken);
        return clips
            .GroupBy(c => (c.ClipperId, c.Handle, c.Platform))
            .Select(g => new RankedClipper(g.Key.ClipperId, g.Key.Handle, g.Key.Platform, g.Count(), g.Sum(c => engine.ValueAt(EntityKind.Clip, c.Id, Metric.Views, now))))
            .OrderByDescending(c => c.Views)
            .ThenByDescending(c => c.Clips)
            .ThenBy(c => c.Id)
            .Take(Math.Max(0, limit))
            .ToList();
    }

    /// <summary>Newest first; <c>trending</c> is the VOD marker of SPEC §3 over 24 h; <c>thumbnailUrl</c> is the poster once the VOD is probed.</summary>
    public async Task<IReadOnlyList<VodListItem>> GetCreatorVodsAsync(int creatorId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var vods = await db.Vods.AsNoTracking().Where(v => v.CreatorId == creatorId).ToListAsync(cancellationToken);
        var ids = vods.Select(v => v.Id).ToList();
        var probed = (await db.VodMedia.AsNoTracking()
            .Where(m => ids.Contains(m.VodId) && m.ThumbnailFile != null)
            .Select(m => m.VodId)
            .ToListAsync(cancellationToken)).ToHashSet();
        var trending = engine.TrendingVods(Period.Day);
        return vods
            .OrderByDescending(v => v.PublishedAt)
            .ThenBy(v => v.Id)
            .Select(v => new VodListItem(v.Id, v.Title, v.PublishedAt, v.DurationSeconds, probed.Contains(v.Id) ? VodMediaUrls.Poster(v.Id) : v.PlatformThumbnailUrl, trending.Contains(v.Id), v.Status, v.Error)
            {
                IsDemo = v.IsDemo,
                PlatformUrl = v.PlatformUrl,
                SubmittedBy = v.RegisteredByUserId,
            })
            .ToList();
    }


    public async Task<IReadOnlyList<Topic>> GetTopicsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Topics.AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken);
    }

    public async Task<bool> EntityExistsAsync(EntityKind kind, int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return kind switch
        {
            EntityKind.Creator => await db.Creators.AnyAsync(c => c.Id == id, cancellationToken),
            EntityKind.Clip => await db.Clips.AnyAsync(c => c.Id == id, cancellationToken),
            EntityKind.Topic => await db.Topics.AnyAsync(t => t.Id == id, cancellationToken),
            _ => false,
        };
    }

    public async Task<ClipSource?> GetClipSourceAsync(int clipId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Clips.AsNoTracking()
            .Where(c => c.Id == clipId && c.VodId != null)
            .Select(c => new ClipSource(c.VodId!.Value, c.SourceStartSeconds, c.SourceEndSeconds))
            .FirstOrDefaultAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<SeriesPoint>> ClipperCountSeriesAsync(TerminalDbContext db, EntityKind kind, int id, DateTime now, TimeSpan w, CancellationToken cancellationToken)
    {
        var from = now - w - w;
        var clips = db.Clips.AsNoTracking().Where(c => c.PublishedAt > from && c.PublishedAt <= now);
        clips = kind switch
        {
            EntityKind.Creator => clips.Where(c => c.CreatorId == id),
            EntityKind.Topic => clips.Where(c => c.TopicId == id),
            _ => clips.Where(c => c.Id == id),
        };
        var published = await clips.Select(c => new { c.PublishedAt, c.ClipperId }).ToListAsync(cancellationToken);
        if (kind == EntityKind.Clip)
        {
            // A clip's own published time may be older than 2w: it still counts once out.
            published = await db.Clips.AsNoTracking().Where(c => c.Id == id).Select(c => new { c.PublishedAt, c.ClipperId }).ToListAsync(cancellationToken);
        }

        var step = w.Ticks / ClipperCountPoints;
        var points = new List<SeriesPoint>(ClipperCountPoints);
        for (var k = 1; k <= ClipperCountPoints; k++)
        {
            var t = new DateTime(now.Ticks - w.Ticks + (step * k), DateTimeKind.Utc);
            if (k == ClipperCountPoints)
            {
                t = now;
            }

            var windowStart = kind == EntityKind.Clip ? DateTime.MinValue : t - w;
            var count = published.Where(p => p.PublishedAt > windowStart && p.PublishedAt <= t).Select(p => p.ClipperId).Distinct().Count();
            points.Add(new SeriesPoint(t, count));
        }

        return points;
    }

    /// <summary>At-or-before with flat-backwards (see <see cref="TrendFormulas"/>) over ascending lists.</summary>
    private static long ValueAt(List<long> times, List<long> values, long ticks)
    {
        if (times.Count == 0)
        {
            return 0;
        }

        var index = times.BinarySearch(ticks);
        if (index < 0)
        {
            index = ~index - 1;
        }
        else
        {
            while (index + 1 < times.Count && times[index + 1] == ticks)
            {
                index++;
            }
        }

        return values[Math.Max(index, 0)];
    }

    private static IReadOnlyList<SeriesPoint> Thin(List<SeriesPoint> points, DateTime from, DateTime now)
    {
        points.RemoveAll(p => p.T < from);
        if (points.Count <= MaxPoints)
        {
            return points;
        }

        var bucket = Math.Max(1, (now - from).Ticks / MaxPoints);
        var thinned = new List<SeriesPoint>(MaxPoints);
        for (var i = 0; i < points.Count; i++)
        {
            var last = i == points.Count - 1 || (points[i + 1].T - from).Ticks / bucket != (points[i].T - from).Ticks / bucket;
            if (last)
            {
                thinned.Add(points[i]);
            }
        }

        return thinned;
    }

    private static async Task<Dictionary<int, string>> TopicNamesAsync(TerminalDbContext db, CancellationToken cancellationToken) =>
        await db.Topics.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);

    private static CreatorSummary Summary(Creator c, Dictionary<int, string> topics) =>
        new(c.Id, c.Handle, c.DisplayName, c.Platform, c.TopicId, topics.GetValueOrDefault(c.TopicId, ""), c.IsDemo);
}
