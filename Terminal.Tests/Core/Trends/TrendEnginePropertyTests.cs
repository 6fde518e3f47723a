using Terminal.Core.Market;
using Terminal.Core.Trends;

namespace Terminal.Tests.Core.Trends;

/// <summary>
/// Random markets (fixed seeds): the incremental engine, fed snapshots in shuffled order, ranks exactly
/// like a plain recomputation over the list of stored snapshots (SPEC §3 last line).
/// </summary>
public sealed class TrendEnginePropertyTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void IncrementalRankings_EqualNaiveRecomputation(int seed)
    {
        var (entities, snapshots) = RandomMarket(seed);
        using var engine = new TrendEngine();
        engine.Register(entities);
        var rng = new Random(seed);
        foreach (var chunk in snapshots.OrderBy(_ => rng.Next()).Chunk(97))
        {
            engine.Ingest(chunk);
        }

        var naive = new NaiveTrends(entities, snapshots);
        foreach (var kind in EntityKinds.All)
        {
            foreach (var platform in new Platform?[] { null, Platform.TikTok, Platform.YouTube })
            {
                foreach (var period in Periods.All)
                {
                    foreach (var topic in new int?[] { null, 2 })
                    {
                        var query = new TrendQuery(kind, platform, period, int.MaxValue, topic);
                        var actual = engine.Query(query, Now).Data;
                        var expected = naive.Rank(query, Now);
                        actual.Select(i => i.Id).Should().Equal(expected.Select(e => e.Id), "{0}", query);
                        for (var i = 0; i < expected.Count; i++)
                        {
                            var (a, e) = (actual[i], expected[i]);
                            a.Rank.Should().Be(i + 1);
                            a.Velocity.Should().BeApproximately(e.Velocity, 1e-9, "{0} #{1}", query, e.Id);
                            if (e.Change is null)
                            {
                                a.Change.Should().BeNull();
                            }
                            else
                            {
                                a.Change.Should().BeApproximately(e.Change.Value, 1e-9);
                            }

                            a.Heat.Should().BeApproximately(e.Heat, 1e-9);
                            a.ClipperCount.Should().Be(e.ClipperCount);
                            a.Trending.Should().Be(e.Trending);
                            (a.UnderClippedScore ?? -1).Should().BeApproximately(e.UnderClipped ?? -1, 1e-9);
                            (a.ClipShareOfVoice ?? -1).Should().BeApproximately(e.ShareOfVoice ?? -1, 1e-9);
                            (a.OpportunityGap ?? -1).Should().BeApproximately(e.Opportunity ?? -1, 1e-9);
                        }
                    }
                }
            }
        }
    }

    private static (List<EntityInfo>, List<MetricSnapshot>) RandomMarket(int seed)
    {
        var rng = new Random(seed * 7919);
        var entities = new List<EntityInfo>();
        for (var t = 1; t <= 3; t++)
        {
            entities.Add(new EntityInfo(EntityKind.Topic, t, $"topic {t}", null, t));
        }

        for (var c = 1; c <= 12; c++)
        {
            entities.Add(new EntityInfo(EntityKind.Creator, c, $"creator {c}", Platforms.All[rng.Next(3)], rng.Next(1, 4)));
        }

        for (var k = 1; k <= 50; k++)
        {
            entities.Add(new EntityInfo(EntityKind.Clip, k, $"clip {k}", Platforms.All[rng.Next(3)], rng.Next(1, 4),
                CreatorId: rng.Next(1, 13), ClipperId: rng.Next(1, 9), PublishedAt: Now.AddMinutes(-rng.Next(0, 60 * 24 * 40))));
        }

        var snapshots = new List<MetricSnapshot>();
        foreach (var e in entities)
        {
            var used = new HashSet<long>();
            long views = rng.Next(0, 5_000);
            var count = rng.Next(0, 40);
            var times = Enumerable.Range(0, count)
                // Minutes from 65 days back to 1 hour ahead of "now" (later readings must be ignored).
                .Select(_ => Now.AddMinutes(rng.Next(-65 * 24 * 60, 60)))
                .Where(t => used.Add(t.Ticks))
                .Order()
                .ToList();
            // Dense readings around the short windows too.
            for (var m = 0; m < 5; m++)
            {
                var t = Now.AddMinutes(-rng.Next(0, 180));
                if (used.Add(t.Ticks))
                {
                    times.Add(t);
                }
            }

            foreach (var t in times.Order())
            {
                views += rng.Next(-50, 10_000);
                snapshots.Add(new MetricSnapshot { Kind = e.Kind, EntityId = e.Id, At = t, Views = views });
            }
        }

        return (entities, snapshots);
    }

    /// <summary>The definitions of SPEC §3 done the slow, obvious way over a list of snapshots.</summary>
    private sealed class NaiveTrends(List<EntityInfo> entities, List<MetricSnapshot> snapshots)
    {
        public sealed record Row(int Id, double Velocity, double? Change, double Heat, int ClipperCount, bool Trending, double? UnderClipped, double? ShareOfVoice, double? Opportunity);

        private long M(EntityKind kind, int id, DateTime t)
        {
            var mine = snapshots.Where(s => s.Kind == kind && s.EntityId == id).ToList();
            if (mine.Count == 0)
            {
                return 0;
            }

            var atOrBefore = mine.Where(s => s.At <= t).MaxBy(s => s.At);
            return (atOrBefore ?? mine.MinBy(s => s.At)!).Views;
        }

        public List<Row> Rank(TrendQuery q, DateTime now)
        {
            var w = q.Period.Length();
            var rows = new List<(EntityInfo E, int Group, double V, double Prev, int Clippers, double Recency, double Relevance, double Secondary, double? Sov, long GainNow, long GainBefore)>();
            var creators = entities.Where(e => e.Kind == EntityKind.Creator).ToList();
            var clips = entities.Where(e => e.Kind == EntityKind.Clip).ToList();
            bool InWindow(EntityInfo clip) => clip.PublishedAt > now - w && clip.PublishedAt <= now;
            (long, long) Gains(EntityInfo e) => (M(e.Kind, e.Id, now) - M(e.Kind, e.Id, now - w), M(e.Kind, e.Id, now - w) - M(e.Kind, e.Id, now - w - w));

            if (q.Kind == EntityKind.Creator)
            {
                foreach (var c in creators.Where(c => q.Platform is null || c.Platform == q.Platform))
                {
                    var mine = clips.Where(k => k.CreatorId == c.Id).ToList();
                    var (g, gb) = Gains(c);
                    var clippers = mine.Where(InWindow).Select(k => k.ClipperId).Distinct().Count();
                    var clipGain = mine.Sum(k => (double)Gains(k).Item1);
                    var relevance = q.TopicId is { } t ? TrendFormulas.TopicRelevance(c.TopicId == t, mine.Any(k => k.TopicId == t)) : 1;
                    var v = g / w.TotalHours;
                    rows.Add((c, (int)c.Platform!, v, gb / w.TotalHours, clippers, 1, relevance, TrendFormulas.UnderClippedRatio(v, clippers), TrendFormulas.ClipShareOfVoice(clipGain, g), g, gb));
                }
            }
            else if (q.Kind == EntityKind.Clip)
            {
                foreach (var k in clips.Where(k => q.Platform is null || k.Platform == q.Platform))
                {
                    var (g, gb) = Gains(k);
                    var creatorTopic = creators.Single(c => c.Id == k.CreatorId).TopicId;
                    var relevance = q.TopicId is { } t ? TrendFormulas.TopicRelevance(k.TopicId == t, creatorTopic == t) : 1;
                    rows.Add((k, (int)k.Platform!, g / w.TotalHours, gb / w.TotalHours, 1, TrendFormulas.Recency(now - k.PublishedAt!.Value, w), relevance, 0, null, g, gb));
                }
            }
            else
            {
                foreach (var topic in entities.Where(e => e.Kind == EntityKind.Topic && (q.TopicId is null || e.Id == q.TopicId)))
                {
                    var members = creators.Concat(clips).Where(e => e.TopicId == topic.Id && (q.Platform is null || e.Platform == q.Platform)).ToList();
                    long g = 0, gb = 0;
                    foreach (var m in members)
                    {
                        var (a, b) = Gains(m);
                        g += a;
                        gb += b;
                    }

                    var topicClips = members.Where(m => m.Kind == EntityKind.Clip && InWindow(m)).ToList();
                    var active = members.Count(m => m.Kind == EntityKind.Creator && Gains(m).Item1 > 0);
                    var v = g / w.TotalHours;
                    rows.Add((topic, 0, v, gb / w.TotalHours, topicClips.Select(k => k.ClipperId).Distinct().Count(), 1, 1,
                        TrendFormulas.OpportunityRaw(v, active, topicClips.Count, w), null, g, gb));
                }
            }

            var result = new List<(Row Row, double V, int Id)>();
            foreach (var r in rows)
            {
                var group = rows.Where(o => o.Group == r.Group).ToList();
                var velocities = group.Select(o => o.V).Order().ToArray();
                var percentile = 100.0 * velocities.Count(x => x <= r.V) / velocities.Length;
                var p90 = velocities[(int)Math.Ceiling(0.9 * velocities.Length) - 1];
                double? under = q.Kind == EntityKind.Creator ? 100.0 * group.Count(o => o.Secondary <= r.Secondary) / group.Count : null;
                double? opportunity = null;
                if (q.Kind == EntityKind.Topic)
                {
                    double min = rows.Min(o => o.Secondary), max = rows.Max(o => o.Secondary);
                    opportunity = TrendFormulas.MinMaxNormalise(r.Secondary, min, max);
                }

                if (r.Relevance <= 0)
                {
                    continue;
                }

                var heat = Math.Clamp(percentile * r.Recency * r.Relevance, 0, 100);
                var change = r.Prev == 0 ? (double?)null : (r.V - r.Prev) / Math.Abs(r.Prev);
                result.Add((new Row(r.E.Id, r.V, change, heat, r.Clippers, r.V > 0 && r.V >= p90, under, r.Sov, opportunity), r.V, r.E.Id));
            }

            return result
                .OrderByDescending(x => x.Row.Heat)
                .ThenByDescending(x => x.V)
                .ThenBy(x => x.Id)
                .Select(x => x.Row)
                .ToList();
        }
    }
}
