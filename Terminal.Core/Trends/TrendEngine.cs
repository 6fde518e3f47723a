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
/// <para>Parts: <see cref="TrendState"/> (entities, series, the scanned <see cref="EntityTable"/>s),
/// one ranker per kind over a shared <see cref="RankingWindow"/> (<see cref="CreatorRanker"/>,
/// <see cref="ClipRanker"/>, <see cref="TopicRanker"/>), <see cref="RankingOrder"/> (percentiles per
/// platform, total order) and <see cref="TrendPresenter"/> (rows and sparklines); this class holds the
/// lock discipline and the cache.</para>
/// </remarks>
public sealed class TrendEngine : ITrendReader, IDisposable
{
    /// <summary>How long a cached ranking may serve while no tick arrives.</summary>
    public static readonly TimeSpan MaxRankingAge = TimeSpan.FromSeconds(1);

    /// <summary>History kept in memory: twice the longest window (Δ% of 30 d needs 60 d) plus a margin.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(62);

    public const int SparklinePoints = 12;

    private readonly TimeProvider _time;
    private readonly TrendState _state = new();
    private readonly Lock _computeGate = new();
    private readonly ConcurrentDictionary<RankingKey, Ranking> _cache = new();
    private readonly ConcurrentDictionary<Period, VodTrends> _vodCache = new();
    private long _version;

    /// <summary>An engine with no inputs: it subscribes to nothing; the host's market pipeline feeds it
    /// (<see cref="Ingest(MarketUpdate)"/>) while it runs.</summary>
    public TrendEngine(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Bumped by every ingest; rankings cached under an older version are recomputed.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Raised after each ingested batch (outside the lock), e.g. for the ticker.</summary>
    public event Action? Changed;

    public int EntityCount
    {
        get
        {
            _state.Lock.EnterReadLock();
            try
            {
                return _state.Count;
            }
            finally
            {
                _state.Lock.ExitReadLock();
            }
        }
    }

    /// <summary>Names and places entities (idempotent; a changed entity replaces the old facts).</summary>
    public void Register(IEnumerable<EntityInfo> entities)
    {
        _state.Lock.EnterWriteLock();
        try
        {
            foreach (var info in entities)
            {
                _state.Register(info);
            }

            Interlocked.Increment(ref _version);
        }
        finally
        {
            _state.Lock.ExitWriteLock();
        }
    }

    /// <summary>Takes a market batch: its entities, then its snapshots.</summary>
    public void Ingest(MarketUpdate update)
    {
        _state.Lock.EnterWriteLock();
        try
        {
            foreach (var info in update.Entities)
            {
                _state.Register(info);
            }

            foreach (var snapshot in update.Snapshots)
            {
                _state.Add(snapshot.Kind, snapshot.EntityId, Reading.From(snapshot));
            }

            Interlocked.Increment(ref _version);
        }
        finally
        {
            _state.Lock.ExitWriteLock();
        }

        Changed?.Invoke();
    }

    /// <summary>Bulk path (start-up load, benchmarks): readings of many entities in one lock.</summary>
    public void Ingest(IEnumerable<(EntityKind Kind, int EntityId, Reading Reading)> readings)
    {
        _state.Lock.EnterWriteLock();
        try
        {
            foreach (var (kind, id, reading) in readings)
            {
                _state.Add(kind, id, reading);
            }

            Interlocked.Increment(ref _version);
        }
        finally
        {
            _state.Lock.ExitWriteLock();
        }

        Changed?.Invoke();
    }

    public void Ingest(IReadOnlyList<MetricSnapshot> snapshots) => Ingest(new MarketUpdate(DateTime.UtcNow, snapshots));

    /// <summary>The ranking for a query at the engine's clock, from cache when fresh (SPEC §4 trends).</summary>
    public TrendResult Query(TrendQuery query) =>
        TrendPresenter.Present(_state, Current(new RankingKey(query.Kind, query.Platform, query.Period, query.TopicId, query.Source)), query, null);

    /// <summary>The ranking as of an exact instant, never cached (tests and recomputation checks).</summary>
    public TrendResult Query(TrendQuery query, DateTime now)
    {
        var key = new RankingKey(query.Kind, query.Platform, query.Period, query.TopicId, query.Source);
        return TrendPresenter.Present(_state, Compute(key, now, Version), query, null);
    }

    /// <summary>One entity's row in the all-niche ranking of its own platform (KPI strips); null when unknown.</summary>
    public TrendItem? Find(EntityKind kind, int id, Period period)
    {
        Platform? platform;
        _state.Lock.EnterReadLock();
        try
        {
            var node = _state.NodesOf(kind).GetValueOrDefault(id);
            if (node?.Info is null)
            {
                return null;
            }

            platform = node.Info.Platform;
        }
        finally
        {
            _state.Lock.ExitReadLock();
        }

        var ranking = Current(new RankingKey(kind, platform, period, null));
        var result = TrendPresenter.Present(_state, ranking, new TrendQuery(kind, platform, period, 1), id);
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
        _state.Lock.EnterReadLock();
        try
        {
            var node = _state.NodesOf(kind).GetValueOrDefault(id);
            return node is null ? 0 : node.Series.ValueAt(at.Ticks, metric);
        }
        finally
        {
            _state.Lock.ExitReadLock();
        }
    }

    public void Dispose() => _state.Dispose();

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
        _state.Lock.EnterReadLock();
        try
        {
            var window = new RankingWindow(key.Period, now);
            var rows = key.Kind switch
            {
                EntityKind.Creator => CreatorRanker.Rank(_state, key, window),
                EntityKind.Clip => ClipRanker.Rank(_state, key, window),
                EntityKind.Topic => TopicRanker.Rank(_state, key, window),
                _ => throw new ArgumentOutOfRangeException(nameof(key), key.Kind, null),
            };

            return new Ranking(version, now, key, rows, RankingOrder.Sort(rows));
        }
        finally
        {
            _state.Lock.ExitReadLock();
        }
    }

    private VodTrends ComputeVodTrends(Period period, DateTime now, long version)
    {
        var w = period.Length();
        long n = now.Ticks, a = n - w.Ticks;
        var vods = new Dictionary<Guid, (Platform Platform, double Velocity)>();
        _state.Lock.EnterReadLock();
        try
        {
            foreach (var node in _state.Clips.Values)
            {
                if (node.Info is not { VodId: { } vod, CreatorId: { } creatorId })
                {
                    continue;
                }

                if (!_state.Creators.TryGetValue(creatorId, out var creator) || creator.Info?.Platform is not { } platform)
                {
                    continue;
                }

                var v = TrendFormulas.Velocity(node.Series.ViewsAt(n), node.Series.ViewsAt(a), w);
                vods[vod] = vods.TryGetValue(vod, out var existing) ? (platform, existing.Velocity + v) : (platform, v);
            }
        }
        finally
        {
            _state.Lock.ExitReadLock();
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

    private sealed record VodTrends(long Version, DateTime At, IReadOnlySet<Guid> Trending);
}
