using System.Collections.Concurrent;
using Terminal.Core.Market;

namespace Terminal.Core.Trends;

/// <summary>
/// The incremental trend engine: per-entity sorted series of readings fed by <see cref="IMarketFeed"/>,
/// and rankings per type × platform × period (× niche) computed from that in-memory state, cached
/// until the next tick (or for at most <see cref="MaxRankingAge"/> while the market is still, so that
/// windows keep sliding).
/// </summary>
/// <remarks>
/// <para>Ingest is O(1) amortised per snapshot (append to the entity's series). A ranking reads
/// <c>m(e, now)</c>, <c>m(e, now − w)</c> and <c>m(e, now − 2w)</c> per entity with binary searches over
/// its series — nothing is rescanned from the database, and nothing is recomputed per tick unless a
/// ranking is asked for. Every number comes from <see cref="TrendFormulas"/>.</para>
/// <para>Topic velocity (SPEC §4 "a topic's views are those of its posts") is the sum of the
/// velocities of the posts filed under the topic on the platform(s) asked for: the topic's creators'
/// own views plus its clips' views. Snapshots of kind <see cref="EntityKind.Topic"/> are kept for
/// charts but do not drive rankings.</para>
/// <para>Thread-safe: ingest takes a write lock, rankings a read lock.</para>
/// </remarks>
public sealed class TrendEngine : ITrendReader, IDisposable
{
    /// <summary>How long a cached ranking may serve while no tick arrives.</summary>
    public static readonly TimeSpan MaxRankingAge = TimeSpan.FromSeconds(1);

    /// <summary>History kept in memory: twice the longest window (Δ% of 30 d needs 60 d) plus a margin.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(62);

    public const int SparklinePoints = 12;

    private readonly TimeProvider _time;
    private readonly IDisposable? _subscription;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<int, Node> _creators = [];
    private readonly Dictionary<int, Node> _clips = [];
    private readonly Dictionary<int, Node> _topics = [];
    private readonly Table _creatorTable = new();
    private readonly Table _clipTable = new();
    private readonly Lock _computeGate = new();
    private readonly ConcurrentDictionary<RankingKey, Ranking> _cache = new();
    private readonly ConcurrentDictionary<Period, VodTrends> _vodCache = new();
    private long _version;
    private long _newestTicks;

    public TrendEngine(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>An engine that follows the market feed.</summary>
    public TrendEngine(IMarketFeed feed, TimeProvider time)
        : this(time)
    {
        _subscription = feed.Subscribe(Ingest);
    }

    /// <summary>Bumped by every ingest; rankings cached under an older version are recomputed.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Raised after each ingested batch (outside the lock), e.g. for the ticker.</summary>
    public event Action? Changed;

    public int EntityCount
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _creators.Count + _clips.Count + _topics.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Names and places entities (idempotent; a changed entity replaces the old facts).</summary>
    public void Register(IEnumerable<EntityInfo> entities)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var info in entities)
            {
                RegisterLocked(info);
            }

            Interlocked.Increment(ref _version);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Takes a market batch: its entities, then its snapshots.</summary>
    public void Ingest(MarketUpdate update)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var info in update.Entities)
            {
                RegisterLocked(info);
            }

            foreach (var snapshot in update.Snapshots)
            {
                AddLocked(snapshot.Kind, snapshot.EntityId, Reading.From(snapshot));
            }

            Interlocked.Increment(ref _version);
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        Changed?.Invoke();
    }

    /// <summary>Bulk path (start-up load, benchmarks): readings of many entities in one lock.</summary>
    public void Ingest(IEnumerable<(EntityKind Kind, int EntityId, Reading Reading)> readings)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var (kind, id, reading) in readings)
            {
                AddLocked(kind, id, reading);
            }

            Interlocked.Increment(ref _version);
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        Changed?.Invoke();
    }

    public void Ingest(IReadOnlyList<MetricSnapshot> snapshots) => Ingest(new MarketUpdate(DateTime.UtcNow, snapshots));

    /// <summary>The ranking for a query at the engine's clock, from cache when fresh (SPEC §4 trends).</summary>
    public TrendResult Query(TrendQuery query) =>
        Present(Current(new RankingKey(query.Kind, query.Platform, query.Period, query.TopicId, query.Source)), query, null);

    /// <summary>The ranking as of an exact instant, never cached (tests and recomputation checks).</summary>
    public TrendResult Query(TrendQuery query, DateTime now)
    {
        var key = new RankingKey(query.Kind, query.Platform, query.Period, query.TopicId, query.Source);
        return Present(Compute(key, now, Version), query, null);
    }

    /// <summary>One entity's row in the all-niche ranking of its own platform (KPI strips); null when unknown.</summary>
    public TrendItem? Find(EntityKind kind, int id, Period period)
    {
        Platform? platform;
        _lock.EnterReadLock();
        try
        {
            var node = NodesOf(kind).GetValueOrDefault(id);
            if (node?.Info is null)
            {
                return null;
            }

            platform = node.Info.Platform;
        }
        finally
        {
            _lock.ExitReadLock();
        }

        var ranking = Current(new RankingKey(kind, platform, period, null));
        var result = Present(ranking, new TrendQuery(kind, platform, period, 1), id);
        return result.Data.Count == 0 ? null : result.Data[0];
    }

    /// <summary>
    /// VODs whose velocity (the sum of the velocities of the clips cut from them) is at or above the
    /// 90th percentile of the VODs of the same platform (the creator's) for the period.
    /// </summary>
    public IReadOnlySet<Guid> TrendingVods(Period period)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var version = Version;
        if (_vodCache.TryGetValue(period, out var cached) && cached.Version == version && now - cached.At <= MaxRankingAge && now >= cached.At)
        {
            return cached.Trending;
        }

        var computed = ComputeVodTrends(period, now, version);
        _vodCache[period] = computed;
        return computed.Trending;
    }

    /// <summary><c>m(e, t)</c> from the in-memory series (0 for an unknown entity).</summary>
    public long ValueAt(EntityKind kind, int id, Metric metric, DateTime at)
    {
        _lock.EnterReadLock();
        try
        {
            var node = NodesOf(kind).GetValueOrDefault(id);
            return node is null ? 0 : node.Series.ValueAt(at.Ticks, metric);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _lock.Dispose();
    }

    // ---- state ------------------------------------------------------------------------------

    private Dictionary<int, Node> NodesOf(EntityKind kind) => kind switch
    {
        EntityKind.Creator => _creators,
        EntityKind.Clip => _clips,
        EntityKind.Topic => _topics,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private Node NodeLocked(EntityKind kind, int id)
    {
        var nodes = NodesOf(kind);
        if (!nodes.TryGetValue(id, out var node))
        {
            node = new Node(kind, id);
            nodes[id] = node;
            TableOf(kind)?.Add(node);
        }

        return node;
    }

    private void RegisterLocked(EntityInfo info)
    {
        var node = NodeLocked(info.Kind, info.Id);
        if (info.Kind == EntityKind.Clip)
        {
            var previousCreator = node.Info?.CreatorId;
            if (previousCreator is { } old && old != info.CreatorId && _creators.TryGetValue(old, out var oldCreator))
            {
                oldCreator.Clips?.Remove(node);
            }

            if (info.CreatorId is { } creatorId && previousCreator != creatorId)
            {
                var creator = NodeLocked(EntityKind.Creator, creatorId);
                (creator.Clips ??= []).Add(node);
            }
        }

        node.Info = info;
        TableOf(info.Kind)?.Describe(node.Slot, info);
    }

    private Table? TableOf(EntityKind kind) => kind switch
    {
        EntityKind.Creator => _creatorTable,
        EntityKind.Clip => _clipTable,
        _ => null,
    };

    private void AddLocked(EntityKind kind, int id, Reading reading)
    {
        var node = NodeLocked(kind, id);
        node.Series.Add(reading);
        TableOf(kind)?.Invalidate(node.Slot);
        if (reading.Ticks > _newestTicks)
        {
            _newestTicks = reading.Ticks;
        }

        // Trim lazily: only once the oldest kept reading is a day past the horizon.
        var horizon = _newestTicks - Retention.Ticks;
        if (node.Series.Count > 2 && node.Series.Readings[1].Ticks < horizon - TimeSpan.TicksPerDay)
        {
            node.Series.Trim(horizon);
        }
    }

    // ---- rankings ---------------------------------------------------------------------------

    private Ranking Current(RankingKey key)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var version = Version;
        if (!_cache.TryGetValue(key, out var ranking) || ranking.Version != version || now - ranking.GeneratedAt > MaxRankingAge || now < ranking.GeneratedAt)
        {
            ranking = Compute(key, now, version);
            _cache[key] = ranking;
        }

        return ranking;
    }

    private Ranking Compute(RankingKey key, DateTime now, long version)
    {
        // One ranking at a time: rankings update the shared window cursors (and are cached anyway).
        using var gate = _computeGate.EnterScope();
        _lock.EnterReadLock();
        try
        {
            var rows = key.Kind switch
            {
                EntityKind.Creator => RankCreators(key, now),
                EntityKind.Clip => RankClips(key, now),
                EntityKind.Topic => RankTopics(key, now),
                _ => throw new ArgumentOutOfRangeException(nameof(key), key.Kind, null),
            };

            return new Ranking(version, now, key, rows, SortRows(rows));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private Row[] RankCreators(RankingKey key, DateTime now)
    {
        var w = key.Period.Length();
        long n = now.Ticks, a = n - w.Ticks, b = a - w.Ticks;
        int ca = Table.StartCursor(key.Period), cb = Table.PreviousCursor(key.Period);
        var table = _creatorTable;
        var clipTable = _clipTable;
        var rows = new List<Row>(table.Count);
        HashSet<int>? seen = null;
        for (var slot = 0; slot < table.Count; slot++)
        {
            var group = table.Group[slot];
            if (group == 0 || (key.Platform is { } p && group != (int)p) || !key.Source.Admits(table.Demo[slot]))
            {
                continue;
            }

            long vn = table.Views(slot, Table.NowCursor, n), va = table.Views(slot, ca, a), vb = table.Views(slot, cb, b);
            var node = table.Nodes[slot];
            var row = new Row
            {
                Node = node,
                Velocity = TrendFormulas.Velocity(vn, va, w),
                Previous = TrendFormulas.Velocity(va, vb, w),
                Group = group,
                Recency = 1,
                Relevance = 1,
            };

            double clipGain = 0;
            var clippers = 0;
            var connected = false;
            if (node.Clips is { Count: > 0 } clips)
            {
                seen?.Clear();
                foreach (var clip in clips)
                {
                    var cs = clip.Slot;
                    clipGain += clipTable.Views(cs, Table.NowCursor, n) - clipTable.Views(cs, ca, a);
                    var published = clipTable.Published[cs];
                    if (published > a && published <= n && clipTable.Clipper[cs] is var clipper and not 0)
                    {
                        seen ??= [];
                        if (seen.Add(clipper))
                        {
                            clippers++;
                        }
                    }

                    connected |= key.TopicId is { } t && clipTable.Topic[cs] == t;
                }
            }

            row.ClipperCount = clippers;
            row.ShareOfVoice = TrendFormulas.ClipShareOfVoice(clipGain, vn - va);
            row.Secondary = TrendFormulas.UnderClippedRatio(row.Velocity, clippers);
            if (key.TopicId is { } topic)
            {
                row.Relevance = TrendFormulas.TopicRelevance(table.Topic[slot] == topic, connected);
            }

            rows.Add(row);
        }

        var all = rows.ToArray();
        ApplyPercentiles(all, underClipped: true);
        return Filter(all);
    }

    private Row[] RankClips(RankingKey key, DateTime now)
    {
        var w = key.Period.Length();
        long n = now.Ticks, a = n - w.Ticks, b = a - w.Ticks;
        int ca = Table.StartCursor(key.Period), cb = Table.PreviousCursor(key.Period);
        var table = _clipTable;
        var rows = new Row[table.Count];
        var count = 0;
        for (var slot = 0; slot < table.Count; slot++)
        {
            var group = table.Group[slot];
            if (group == 0 || (key.Platform is { } p && group != (int)p) || !key.Source.Admits(table.Demo[slot]))
            {
                continue;
            }

            long vn = table.Views(slot, Table.NowCursor, n), va = table.Views(slot, ca, a), vb = table.Views(slot, cb, b);
            var published = table.Published[slot];
            var row = new Row
            {
                Node = table.Nodes[slot],
                Velocity = TrendFormulas.Velocity(vn, va, w),
                Previous = TrendFormulas.Velocity(va, vb, w),
                Group = group,
                ClipperCount = 1,
                Recency = published == long.MinValue ? 1 : TrendFormulas.Recency(TimeSpan.FromTicks(n - published), w),
                Relevance = 1,
            };

            if (key.TopicId is { } topic)
            {
                var creatorTopic = table.Creator[slot] is var c and not 0 && _creators.TryGetValue(c, out var creator) ? creator.Info?.TopicId : null;
                row.Relevance = TrendFormulas.TopicRelevance(table.Topic[slot] == topic, creatorTopic == topic);
            }

            rows[count++] = row;
        }

        Array.Resize(ref rows, count);
        ApplyPercentiles(rows, underClipped: false);
        return Filter(rows);
    }

    private Row[] RankTopics(RankingKey key, DateTime now)
    {
        var w = key.Period.Length();
        long n = now.Ticks, a = n - w.Ticks, b = a - w.Ticks;
        int ca = Table.StartCursor(key.Period), cb = Table.PreviousCursor(key.Period);
        var byTopic = new Dictionary<int, TopicAccumulator>(_topics.Count);
        foreach (var node in _topics.Values)
        {
            if (node.Info is not null)
            {
                byTopic[node.Id] = new TopicAccumulator();
            }
        }

        foreach (var (table, isClip) in new[] { (_creatorTable, false), (_clipTable, true) })
        {
            for (var slot = 0; slot < table.Count; slot++)
            {
                var group = table.Group[slot];
                if (group == 0 || !byTopic.TryGetValue(table.Topic[slot], out var acc) || (key.Platform is { } p && group != (int)p) || !key.Source.Admits(table.Demo[slot]))
                {
                    continue;
                }

                long vn = table.Views(slot, Table.NowCursor, n), va = table.Views(slot, ca, a), vb = table.Views(slot, cb, b);
                acc.Now += vn - va;
                acc.AnyDemo |= table.Demo[slot];
                acc.Before += va - vb;
                if (!isClip)
                {
                    if (vn - va > 0)
                    {
                        acc.ActiveCreators++;
                    }

                    continue;
                }

                var published = table.Published[slot];
                if (published > a && published <= n)
                {
                    acc.Posts++;
                    if (table.Clipper[slot] is var clipper and not 0)
                    {
                        acc.Clippers.Add(clipper);
                    }
                }
            }
        }

        var rows = new List<Row>(byTopic.Count);
        foreach (var (id, acc) in byTopic)
        {
            if (key.TopicId is { } only && only != id)
            {
                continue;
            }

            var velocity = acc.Now / w.TotalHours;
            rows.Add(new Row
            {
                Node = _topics[id],
                Velocity = velocity,
                Previous = acc.Before / w.TotalHours,
                Group = 0,
                ClipperCount = acc.Clippers.Count,
                Recency = 1,
                Relevance = 1,
                Secondary = TrendFormulas.OpportunityRaw(velocity, acc.ActiveCreators, acc.Posts, w),
                IsDemo = acc.AnyDemo,
                Platform = key.Platform,
            });
        }

        var all = rows.ToArray();
        ApplyPercentiles(all, underClipped: false);
        if (all.Length > 0)
        {
            double min = all.Min(r => r.Secondary), max = all.Max(r => r.Secondary);
            foreach (ref var row in all.AsSpan())
            {
                row.Opportunity = TrendFormulas.MinMaxNormalise(row.Secondary, min, max);
            }
        }

        return all;
    }

    /// <summary>Percentile rank, heat, trending (and under-clipped) within each platform group.</summary>
    private static void ApplyPercentiles(Row[] rows, bool underClipped)
    {
        // Groups are small integers (platform values; 0 for topics): bucket without LINQ on the hot path.
        const int Groups = 4;
        var counts = new int[Groups];
        foreach (ref readonly var row in rows.AsSpan())
        {
            counts[row.Group]++;
        }

        var velocities = new double[Groups][];
        var ratios = new double[Groups][];
        for (var g = 0; g < Groups; g++)
        {
            velocities[g] = new double[counts[g]];
            ratios[g] = underClipped ? new double[counts[g]] : [];
        }

        var fill = new int[Groups];
        foreach (ref readonly var row in rows.AsSpan())
        {
            var at = fill[row.Group]++;
            velocities[row.Group][at] = row.Velocity;
            if (underClipped)
            {
                ratios[row.Group][at] = row.Secondary;
            }
        }

        var p90 = new double[Groups];
        for (var g = 0; g < Groups; g++)
        {
            Array.Sort(velocities[g]);
            Array.Sort(ratios[g]);
            p90[g] = TrendFormulas.Percentile90(velocities[g]);
        }

        foreach (ref var row in rows.AsSpan())
        {
            var percentile = TrendFormulas.PercentileRank(row.Velocity, velocities[row.Group]);
            row.Heat = TrendFormulas.Heat(percentile, row.Recency, row.Relevance);
            row.Trending = TrendFormulas.IsTrending(row.Velocity, p90[row.Group]);
            if (underClipped)
            {
                row.UnderClipped = TrendFormulas.PercentileRank(row.Secondary, ratios[row.Group]);
            }
        }
    }

    /// <summary>
    /// Heat, then velocity, descending; then id ascending (a total, deterministic order). Sorted on a
    /// primitive key array (heat), then each run of equal heat by velocity and id — several times
    /// cheaper at 100,000 rows than one sort with a composite comparer.
    /// </summary>
    private static int[] SortRows(Row[] rows)
    {
        var count = rows.Length;
        var keys = new double[count];
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            keys[i] = -rows[i].Heat;
            order[i] = i;
        }

        Array.Sort(keys, order);
        IComparer<int>? ties = null;
        var start = 0;
        for (var i = 1; i <= count; i++)
        {
            if (i < count && keys[i] == keys[start])
            {
                continue;
            }

            if (i - start > 1)
            {
                ties ??= new TieOrder(rows);
                Array.Sort(order, start, i - start, ties);
            }

            start = i;
        }

        return order;
    }

    private sealed class TieOrder(Row[] rows) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            var c = rows[y].Velocity.CompareTo(rows[x].Velocity);
            return c != 0 ? c : rows[x].Node.Id.CompareTo(rows[y].Node.Id);
        }
    }

    /// <summary>Drops rows with no topic relevance (only under a niche filter); by reference, no copies.</summary>
    private static Row[] Filter(Row[] rows)
    {
        var kept = 0;
        foreach (ref readonly var row in rows.AsSpan())
        {
            if (row.Relevance > 0)
            {
                kept++;
            }
        }

        if (kept == rows.Length)
        {
            return rows;
        }

        var result = new Row[kept];
        var at = 0;
        foreach (ref readonly var row in rows.AsSpan())
        {
            if (row.Relevance > 0)
            {
                result[at++] = row;
            }
        }

        return result;
    }

    private VodTrends ComputeVodTrends(Period period, DateTime now, long version)
    {
        var w = period.Length();
        long n = now.Ticks, a = n - w.Ticks;
        var vods = new Dictionary<Guid, (Platform Platform, double Velocity)>();
        _lock.EnterReadLock();
        try
        {
            foreach (var node in _clips.Values)
            {
                if (node.Info is not { VodId: { } vod, CreatorId: { } creatorId })
                {
                    continue;
                }

                if (!_creators.TryGetValue(creatorId, out var creator) || creator.Info?.Platform is not { } platform)
                {
                    continue;
                }

                var v = TrendFormulas.Velocity(node.Series.ViewsAt(n), node.Series.ViewsAt(a), w);
                vods[vod] = vods.TryGetValue(vod, out var existing) ? (platform, existing.Velocity + v) : (platform, v);
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        var trending = new HashSet<Guid>();
        foreach (var group in vods.GroupBy(v => v.Value.Platform))
        {
            var sorted = group.Select(g => g.Value.Velocity).Order().ToArray();
            var p90 = TrendFormulas.Percentile90(sorted);
            foreach (var (id, value) in group)
            {
                if (TrendFormulas.IsTrending(value.Velocity, p90))
                {
                    trending.Add(id);
                }
            }
        }

        return new VodTrends(version, now, trending);
    }

    private TrendResult Present(Ranking ranking, TrendQuery query, int? onlyId)
    {
        var limit = Math.Max(0, query.Limit);
        var selected = new List<(int Rank, Row Row)>(Math.Min(limit, ranking.Rows.Length));
        for (var i = 0; i < ranking.Order.Length && selected.Count < limit; i++)
        {
            var row = ranking.Rows[ranking.Order[i]];
            if (onlyId is { } only && row.Node.Id != only)
            {
                continue;
            }

            if (query.Search is { Length: > 0 } search && !row.Node.Info!.Name.Contains(search, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            selected.Add((i + 1, row));
        }

        var sparklines = Sparklines(ranking.Key, ranking.GeneratedAt, selected.Select(s => s.Row).ToList());
        var items = new TrendItem[selected.Count];
        for (var i = 0; i < selected.Count; i++)
        {
            var (rank, row) = selected[i];
            var info = row.Node.Info!;
            items[i] = new TrendItem(
                rank,
                info.Id,
                info.Name,
                ranking.Key.Kind == EntityKind.Topic ? row.Platform : info.Platform,
                row.Velocity,
                TrendFormulas.Change(row.Velocity, row.Previous),
                row.Heat,
                row.ClipperCount,
                sparklines[i])
            {
                TopicId = info.TopicId,
                Trending = row.Trending,
                UnderClippedScore = ranking.Key.Kind == EntityKind.Creator ? row.UnderClipped : null,
                ClipShareOfVoice = ranking.Key.Kind == EntityKind.Creator ? row.ShareOfVoice : null,
                OpportunityGap = ranking.Key.Kind == EntityKind.Topic ? row.Opportunity : null,
                IsDemo = ranking.Key.Kind == EntityKind.Topic ? row.IsDemo : info.IsDemo,
            };
        }

        return new TrendResult(items, ranking.GeneratedAt);
    }

    /// <summary>
    /// Velocity over each of <see cref="SparklinePoints"/> equal slices of the window, oldest first:
    /// <c>(m(t_{i+1}) − m(t_i)) / hours(w / 12)</c> with <c>t_i = now − w + i·w/12</c>.
    /// </summary>
    private double[][] Sparklines(RankingKey key, DateTime now, List<Row> rows)
    {
        var result = new double[rows.Count][];
        var w = key.Period.Length();
        var slice = w.Ticks / SparklinePoints;
        var sliceHours = TimeSpan.FromTicks(slice).TotalHours;
        var start = now.Ticks - w.Ticks;
        _lock.EnterReadLock();
        try
        {
            if (key.Kind != EntityKind.Topic)
            {
                for (var i = 0; i < rows.Count; i++)
                {
                    result[i] = Slices(rows[i].Node.Series, start, slice, sliceHours);
                }

                return result;
            }

            var index = new Dictionary<int, int>();
            for (var i = 0; i < rows.Count; i++)
            {
                result[i] = new double[SparklinePoints];
                index[rows[i].Node.Id] = i;
            }

            if (index.Count == 0)
            {
                return result;
            }

            foreach (var node in _creators.Values.Concat(_clips.Values))
            {
                if (node.Info?.TopicId is not { } t || !index.TryGetValue(t, out var at) || (key.Platform is { } p && node.Info.Platform != p) || !key.Source.Admits(node.Info.IsDemo))
                {
                    continue;
                }

                var member = Slices(node.Series, start, slice, sliceHours);
                for (var s = 0; s < SparklinePoints; s++)
                {
                    result[at][s] += member[s];
                }
            }

            return result;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private static double[] Slices(MetricSeries series, long start, long slice, double sliceHours)
    {
        var points = new double[SparklinePoints];
        var previous = series.ViewsAt(start);
        for (var s = 0; s < SparklinePoints; s++)
        {
            var next = series.ViewsAt(start + (slice * (s + 1)));
            points[s] = (next - previous) / sliceHours;
            previous = next;
        }

        return points;
    }

    private sealed class Node(EntityKind kind, int id)
    {
        public EntityKind Kind { get; } = kind;

        public int Id { get; } = id;

        public EntityInfo? Info { get; set; }

        public MetricSeries Series { get; } = new();

        /// <summary>Creators: their clips.</summary>
        public List<Node>? Clips { get; set; }

        /// <summary>Position in its kind's <see cref="Table"/>.</summary>
        public int Slot { get; set; } = -1;
    }

    /// <summary>
    /// The incremental state rankings scan: per entity, in dense arrays (so a 100,000-entity scan walks
    /// memory in order), its platform, topic, publication and clipper, and nine window cursors — the
    /// views in force at <c>now</c> and at <c>now − w</c>, <c>now − 2w</c> for each period — each with
    /// the interval of instants over which it stays valid. As the windows slide, a cursor is re-sought in
    /// the entity's series only when a boundary crosses a reading; a new reading of the entity resets
    /// its cursors.
    /// </summary>
    private sealed class Table
    {
        public const int NowCursor = 0;
        private const int Cursors = 9;
        private const int Stride = Cursors * 3; // value, valid from, valid until

        public Node[] Nodes = new Node[256];
        public int[] Group = new int[256];
        public int[] Topic = new int[256];
        public long[] Published = new long[256];
        public int[] Clipper = new int[256];
        public int[] Creator = new int[256];
        public bool[] Demo = new bool[256];
        public long[] State = new long[256 * Stride];

        public int Count { get; private set; }

        public static int StartCursor(Period period) => 1 + (2 * ((int)period - 1));

        public static int PreviousCursor(Period period) => 2 + (2 * ((int)period - 1));

        public void Add(Node node)
        {
            if (Count == Nodes.Length)
            {
                var size = Nodes.Length * 2;
                Array.Resize(ref Nodes, size);
                Array.Resize(ref Group, size);
                Array.Resize(ref Topic, size);
                Array.Resize(ref Published, size);
                Array.Resize(ref Clipper, size);
                Array.Resize(ref Creator, size);
                Array.Resize(ref Demo, size);
                Array.Resize(ref State, size * Stride);
            }

            node.Slot = Count;
            Nodes[Count] = node;
            Published[Count] = long.MinValue;
            Invalidate(Count);
            Count++;
        }

        public void Describe(int slot, EntityInfo info)
        {
            Group[slot] = info.Platform is { } p ? (int)p : 0;
            Topic[slot] = info.TopicId ?? 0;
            Published[slot] = info.PublishedAt?.Ticks ?? long.MinValue;
            Clipper[slot] = info.ClipperId ?? 0;
            Creator[slot] = info.CreatorId ?? 0;
            Demo[slot] = info.IsDemo;
        }

        public void Invalidate(int slot)
        {
            var state = State;
            for (int c = 0, i = slot * Stride; c < Cursors; c++, i += 3)
            {
                state[i + 2] = long.MinValue; // "valid until" the beginning of time: re-seek on next use
            }
        }

        /// <summary><c>m(e, t)</c> through the cursor <paramref name="cursor"/> of the entity in <paramref name="slot"/>.</summary>
        public long Views(int slot, int cursor, long ticks)
        {
            var state = State;
            var i = (slot * Stride) + (cursor * 3);
            if (ticks >= state[i + 1] && ticks < state[i + 2])
            {
                return state[i];
            }

            var value = Nodes[slot].Series.ViewsCursor(ticks, out var from, out var until);
            state[i] = value;
            state[i + 1] = from;
            state[i + 2] = until;
            return value;
        }
    }

    /// <summary>One entity's numbers in one ranking (a struct: 100,000 of them are one array, not 100,000 objects).</summary>
    private struct Row
    {
        public Node Node;
        public double Velocity;
        public double Previous;
        public int Group;
        public int ClipperCount;
        public double Recency;
        public double Relevance;
        public double Heat;
        public bool Trending;

        /// <summary>Topics: a DEMO member contributed (creators and clips read their own flag).</summary>
        public bool IsDemo;

        /// <summary>Creators: demand per clipper; topics: raw opportunity.</summary>
        public double Secondary;
        // Meaningful per kind only (Present picks them by kind): plain doubles keep the struct small.
        public double UnderClipped;
        public double ShareOfVoice;
        public double Opportunity;
        public Platform? Platform;
    }

    private sealed class TopicAccumulator
    {
        public long Now;
        public long Before;
        public int ActiveCreators;
        public int Posts;
        public bool AnyDemo;
        public HashSet<int> Clippers { get; } = [];
    }

    private readonly record struct RankingKey(EntityKind Kind, Platform? Platform, Period Period, int? TopicId, MarketSourceFilter Source = MarketSourceFilter.All);

    /// <param name="Order">Indices into <paramref name="Rows"/>, best first.</param>
    private sealed record Ranking(long Version, DateTime GeneratedAt, RankingKey Key, Row[] Rows, int[] Order);

    private sealed record VodTrends(long Version, DateTime At, IReadOnlySet<Guid> Trending);
}
