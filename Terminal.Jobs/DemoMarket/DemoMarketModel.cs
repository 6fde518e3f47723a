using System.Globalization;
using Terminal.Core.Market;

namespace Terminal.Jobs.DemoMarket;

/// <summary>
/// The deterministic simulation behind the DEMO market. Everything — entities, VODs, clips with their
/// source ranges, and every metric value at every instant — follows from the seed and the anchor (the
/// instant of the first start): same seed and anchor ⇒ same market.
/// </summary>
/// <remarks>
/// <para>Metric values are closed-form, non-decreasing functions of time, so a reading at any instant
/// is exact and a restart resumes the same curves. Creators grow with a daily rhythm
/// <c>r·(1 + A·sin(2πh/24 + φ))</c> plus "moments" (bursts: <c>M·(1 − e^{−(h−h_k)/τ_k})</c>). A clip's
/// views follow a viral saturation curve <c>U·(1 − e^{−age/τ})</c>, a third of them with a second
/// wave later.</para>
/// <para>The backfill walks a grid (every entity every interval over the last two days; older history
/// sparser; a zero reading at each clip's publication); a topic's reading is the sum of its
/// members' latest readings at the same instant, so a topic's stored views equal the views of its posts.</para>
/// </remarks>
public sealed class DemoMarketModel
{
    private const double YoungClipHours = 48;
    private const double RecentHours = 49;
    private readonly DemoFeedOptions _options;
    private readonly CreatorCurve[] _creatorCurves;
    private readonly ClipCurve[] _clipCurves;
    private readonly Random _live;

    // Latest stored values (views, likes, comments, shares, followers) per creator / clip index, and per-topic sums.
    private readonly long[][] _creatorLast;
    private readonly long[][] _clipLast;
    private readonly long[][] _topicTotals;
    private readonly bool[] _topicDirty;
    private int _publishedClips; // clips[0.._publishedClips) are out (clips are sorted by publication)
    private DateTime _lastTopicReadings = DateTime.MinValue;

    /// <summary>Live topic readings are written at most this often (a topic changes with almost every tick).</summary>
    public static readonly TimeSpan TopicReadingInterval = TimeSpan.FromSeconds(10);

    public DemoMarketModel(DemoFeedOptions options, DateTime anchor)
    {
        _options = options;
        Anchor = DateTime.SpecifyKind(anchor, DateTimeKind.Utc);
        HistoryStart = Anchor.AddDays(-options.HistoryDays);
        var rng = new Random(options.Seed);
        _live = new Random(unchecked(options.Seed * 31 + 7));

        Topics = DemoNames.Topics.Select((t, i) => new Topic { Id = i + 1, Slug = t.Slug, Name = t.Name }).ToArray();
        (Creators, _creatorCurves) = MakeCreators(rng);
        Clippers = MakeClippers(rng);
        Vods = MakeVods(rng);
        (Clips, _clipCurves) = MakeClips(rng);

        _creatorLast = Creators.Select(_ => new long[5]).ToArray();
        _clipLast = Clips.Select(_ => new long[5]).ToArray();
        _topicTotals = Topics.Select(_ => new long[5]).ToArray();
        _topicDirty = new bool[Topics.Count];
    }

    public DateTime Anchor { get; }

    public DateTime HistoryStart { get; }

    public IReadOnlyList<Topic> Topics { get; }

    public IReadOnlyList<Creator> Creators { get; }

    public IReadOnlyList<ClipperAccount> Clippers { get; }

    public IReadOnlyList<Vod> Vods { get; }

    /// <summary>Every clip of the simulation, sorted by publication, including those scheduled after the anchor.</summary>
    public IReadOnlyList<MarketClip> Clips { get; }

    /// <summary>Clips published at or before the anchor (inserted with the backfill).</summary>
    public IEnumerable<MarketClip> HistoricClips => Clips.TakeWhile(c => c.PublishedAt <= Anchor);

    private TimeSpan Interval => TimeSpan.FromMinutes(_options.SnapshotIntervalMinutes);

    /// <summary>Exact metric values of creator <paramref name="index"/> at <paramref name="at"/>.</summary>
    public MetricSnapshot CreatorAt(int index, DateTime at) => _creatorCurves[index].At(Creators[index].Id, at, HistoryStart);

    /// <summary>Exact metric values of clip <paramref name="index"/> at <paramref name="at"/> (0 before publication).</summary>
    public MetricSnapshot ClipAt(int index, DateTime at) => _clipCurves[index].At(Clips[index].Id, at);

    /// <summary>
    /// The 30-day history up to the anchor, oldest first, and leaves the model's "latest values" at the
    /// anchor so that <see cref="Step"/> continues from there.
    /// </summary>
    public IEnumerable<MetricSnapshot> Backfill()
    {
        var interval = Interval;
        var steps = (int)Math.Round((Anchor - HistoryStart) / interval);
        var recentFrom = Anchor - TimeSpan.FromHours(RecentHours);
        for (var step = 0; step <= steps; step++)
        {
            var t = HistoryStart + (interval * step);
            // Every entity every interval over the last two days (so 1 h and 24 h velocities at the start are
            // exact); older history is sparser: creators and topics every 3 intervals, clips every 12 once
            // past their first 48 h.
            var recent = t >= recentFrom;
            foreach (var s in PublishUpTo(t))
            {
                yield return s;
            }

            if (recent || step % 3 == 0)
            {
                for (var i = 0; i < Creators.Count; i++)
                {
                    yield return Record(EntityKind.Creator, i, CreatorAt(i, t));
                }
            }

            for (var i = 0; i < _publishedClips; i++)
            {
                var age = (t - Clips[i].PublishedAt).TotalHours;
                if (age > 0 && (recent || age <= YoungClipHours || step % 12 == 0))
                {
                    yield return Record(EntityKind.Clip, i, ClipAt(i, t));
                }
            }

            if (recent || step % 3 == 0)
            {
                foreach (var s in TopicReadings(t, all: true))
                {
                    yield return s;
                }
            }
        }
    }

    /// <summary>
    /// Restores the latest stored values after a restart (instead of replaying the backfill) and marks
    /// every clip up to <paramref name="lastPublishedClipId"/> as already out.
    /// </summary>
    public void Resume(IEnumerable<MetricSnapshot> latest, int lastPublishedClipId)
    {
        var creatorIndex = Creators.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var clipIndex = Clips.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i);
        foreach (var s in latest)
        {
            if (s.Kind == EntityKind.Creator && creatorIndex.TryGetValue(s.EntityId, out var ci))
            {
                Store(EntityKind.Creator, ci, s);
            }
            else if (s.Kind == EntityKind.Clip && clipIndex.TryGetValue(s.EntityId, out var ki))
            {
                Store(EntityKind.Clip, ki, s);
            }
        }

        _publishedClips = Clips.Count(c => c.Id <= lastPublishedClipId);
        Array.Clear(_topicDirty);
    }

    /// <summary>
    /// One live movement at <paramref name="now"/>: clips whose publication time has come, and fresh
    /// readings for a random handful of entities (young clips most often), plus the topics they touch.
    /// </summary>
    public DemoStep Step(DateTime now)
    {
        var snapshots = new List<MetricSnapshot>();
        var firstNew = _publishedClips;
        snapshots.AddRange(PublishUpTo(now));
        var newClips = Clips.Skip(firstNew).Take(_publishedClips - firstNew).ToArray();

        for (var i = 0; i < Creators.Count; i++)
        {
            if (_live.NextDouble() < 0.01)
            {
                AddIfMoved(snapshots, EntityKind.Creator, i, CreatorAt(i, now));
            }
        }

        for (var i = 0; i < _publishedClips; i++)
        {
            var age = (now - Clips[i].PublishedAt).TotalHours;
            // Young clips move most; a long-running demo writes about a million rows a day.
            var chance = age <= YoungClipHours ? 0.05 : age <= 24 * 14 ? 0.001 : 0.0002;
            if (_live.NextDouble() < chance)
            {
                AddIfMoved(snapshots, EntityKind.Clip, i, ClipAt(i, now));
            }
        }

        if (now - _lastTopicReadings >= TopicReadingInterval)
        {
            // A topic reading is the sum of its members' latest readings at that instant.
            snapshots.AddRange(TopicReadings(now, all: false));
            _lastTopicReadings = now;
        }

        return new DemoStep(now, newClips, snapshots);
    }

    private void AddIfMoved(List<MetricSnapshot> into, EntityKind kind, int index, MetricSnapshot reading)
    {
        var last = kind == EntityKind.Creator ? _creatorLast[index] : _clipLast[index];
        if (reading.Views != last[0] || reading.Likes != last[1] || reading.Followers != last[4])
        {
            into.Add(Record(kind, index, reading));
        }
    }

    private IEnumerable<MetricSnapshot> PublishUpTo(DateTime t)
    {
        while (_publishedClips < Clips.Count && Clips[_publishedClips].PublishedAt <= t)
        {
            var clip = Clips[_publishedClips];
            _publishedClips++;
            // A zero reading at publication: early growth is counted from zero, not from the first grid reading.
            yield return Record(EntityKind.Clip, _publishedClips - 1, new MetricSnapshot { Kind = EntityKind.Clip, EntityId = clip.Id, At = clip.PublishedAt });
        }
    }

    private MetricSnapshot Record(EntityKind kind, int index, MetricSnapshot reading)
    {
        Store(kind, index, reading);
        return reading;
    }

    private void Store(EntityKind kind, int index, MetricSnapshot reading)
    {
        long[] last;
        int topic;
        if (kind == EntityKind.Creator)
        {
            last = _creatorLast[index];
            topic = Creators[index].TopicId;
        }
        else
        {
            last = _clipLast[index];
            topic = Clips[index].TopicId;
        }

        ReadOnlySpan<long> next = [reading.Views, reading.Likes, reading.Comments, reading.Shares, reading.Followers];
        var totals = _topicTotals[topic - 1];
        for (var m = 0; m < 4; m++)
        {
            totals[m] += next[m] - last[m];
        }

        next.CopyTo(last);
        _topicDirty[topic - 1] = true;
    }

    private IEnumerable<MetricSnapshot> TopicReadings(DateTime t, bool all)
    {
        for (var i = 0; i < Topics.Count; i++)
        {
            if (!all && !_topicDirty[i])
            {
                continue;
            }

            _topicDirty[i] = false;
            var totals = _topicTotals[i];
            yield return new MetricSnapshot
            {
                Kind = EntityKind.Topic,
                EntityId = Topics[i].Id,
                At = t,
                Views = totals[0],
                Likes = totals[1],
                Comments = totals[2],
                Shares = totals[3],
            };
        }
    }

    // ---- generation -----------------------------------------------------------------------------

    private (Creator[], CreatorCurve[]) MakeCreators(Random rng)
    {
        var creators = new Creator[_options.Creators];
        var curves = new CreatorCurve[_options.Creators];
        var taken = new HashSet<string>();
        var historyHours = (Anchor - HistoryStart).TotalHours;
        for (var i = 0; i < creators.Length; i++)
        {
            var topicIndex = PickTopic(rng);
            var topic = DemoNames.Topics[topicIndex];
            var platform = Platforms.All[rng.Next(3)];
            var first = DemoNames.FirstParts[rng.Next(DemoNames.FirstParts.Length)];
            var second = topic.Suffixes[rng.Next(topic.Suffixes.Length)];
            var handle = first + second;
            if (rng.NextDouble() < 0.3 || !taken.Add($"{platform}:{handle}"))
            {
                handle += rng.Next(2, 99).ToString(CultureInfo.InvariantCulture);
                while (!taken.Add($"{platform}:{handle}"))
                {
                    handle += rng.Next(0, 9).ToString(CultureInfo.InvariantCulture);
                }
            }

            creators[i] = new Creator
            {
                Id = i + 1,
                Handle = handle,
                DisplayName = $"{Title(first)} {Title(second)}",
                Platform = platform,
                TopicId = topicIndex + 1,
                IsDemo = true,
                CreatedAt = Anchor,
            };

            var followers = Math.Clamp(Math.Exp(Normal(rng, 12.2, 1.4)), 5_000, 60_000_000);
            var moments = new (double Hour, double Size, double Tau)[rng.Next(0, 4)];
            for (var m = 0; m < moments.Length; m++)
            {
                moments[m] = (rng.NextDouble() * (historyHours + (24 * _options.FutureDays)), followers * (0.2 + (rng.NextDouble() * 4)), 3 + (rng.NextDouble() * 33));
            }

            var views0 = followers * (20 + (rng.NextDouble() * 180));
            var rate = followers * (0.002 + (rng.NextDouble() * 0.02));
            var amplitude = 0.2 + (rng.NextDouble() * 0.5);
            // The slower waves draw from their own stream so adding them left every other draw as it was.
            var waves = new Random(unchecked((_options.Seed * 7919) + i));
            var season = waves.NextDouble() * (0.95 - amplitude) * 0.7;
            curves[i] = new CreatorCurve(
                Followers0: followers,
                Views0: views0,
                Rate: rate,
                Amplitude: amplitude,
                Phase: rng.NextDouble() * Math.PI * 2,
                FollowerRate: followers * (0.00002 + (rng.NextDouble() * 0.0002)),
                Moments: moments,
                LikeRate: 0.03 + (rng.NextDouble() * 0.08),
                CommentRate: 0.001 + (rng.NextDouble() * 0.006),
                ShareRate: 0.003 + (rng.NextDouble() * 0.02))
            {
                // Audiences swell and fade over weeks and swing over the week, so a creator's 24 h and
                // 7 d velocities really differ from the previous window's (the daily wave alone cancels
                // out over a day). The waves' amplitudes stay below 1 together, so views never fall.
                Season = season,
                SeasonHours = 24 * (15 + (waves.NextDouble() * 45)),
                SeasonPhase = waves.NextDouble() * Math.PI * 2,
                Weekly = waves.NextDouble() * (0.95 - amplitude - season),
                WeeklyPhase = waves.NextDouble() * Math.PI * 2,
            };
        }

        return (creators, curves);
    }

    private ClipperAccount[] MakeClippers(Random rng)
    {
        var clippers = new ClipperAccount[_options.Clippers];
        var taken = new HashSet<string>();
        for (var i = 0; i < clippers.Length; i++)
        {
            var platform = Platforms.All[rng.Next(3)];
            var topic = DemoNames.Topics[rng.Next(DemoNames.Topics.Length)];
            var stem = rng.NextDouble() < 0.5 ? topic.Slug.Split('-')[0] : topic.Suffixes[rng.Next(topic.Suffixes.Length)];
            var handle = $"{stem}.{DemoNames.ClipperParts[rng.Next(DemoNames.ClipperParts.Length)]}";
            while (!taken.Add($"{platform}:{handle}"))
            {
                handle += rng.Next(0, 10).ToString(CultureInfo.InvariantCulture);
            }

            clippers[i] = new ClipperAccount { Id = i + 1, Handle = handle, Platform = platform, IsDemo = true };
        }

        return clippers;
    }

    private Vod[] MakeVods(Random rng)
    {
        var vods = new List<Vod>();
        var span = (Anchor - HistoryStart).TotalHours + 120;
        foreach (var creator in Creators)
        {
            var titles = DemoNames.Topics[creator.TopicId - 1].VodTitles;
            for (var v = 0; v < _options.VodsPerCreator; v++)
            {
                var id = NewGuid(rng);
                var duration = Math.Round(600 + (rng.NextDouble() * 3000));
                var title = titles[rng.Next(titles.Length)].Replace("{n}", rng.Next(2, 250).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
                vods.Add(new Vod
                {
                    Id = id,
                    CreatorId = creator.Id,
                    Title = title,
                    SourceUrl = $"demo://vod/{id}",
                    PublishedAt = Anchor.AddHours(-1 - (rng.NextDouble() * span)),
                    DurationSeconds = duration,
                    Width = Media.DemoMediaSpec.DefaultWidth,
                    Height = Media.DemoMediaSpec.DefaultHeight,
                    Status = VodStatus.Ready,
                    IsDemo = true,
                    CreatedAt = Anchor,
                });
            }
        }

        return [.. vods];
    }

    private (MarketClip[], ClipCurve[]) MakeClips(Random rng)
    {
        var count = (int)Math.Round(_options.Creators * _options.ClipsPerCreator);
        var start = HistoryStart;
        var spanHours = (Anchor - HistoryStart).TotalHours + (24 * _options.FutureDays);
        var vodsByCreator = Vods.GroupBy(v => v.CreatorId).ToDictionary(g => g.Key, g => g.ToArray());
        var moments = Vods.ToDictionary(v => v.Id, v => Enumerable.Range(0, 2 + rng.Next(3)).Select(_ => 30 + (rng.NextDouble() * (v.DurationSeconds!.Value - 120))).ToArray());
        var byPlatform = Platforms.All.ToDictionary(p => p, p => Clippers.Where(c => c.Platform == p).ToArray());
        var drafts = new List<(MarketClip Clip, ClipCurve Curve)>(count);
        for (var i = 0; i < count; i++)
        {
            // Popular creators get clipped more: pick the better of two draws by followers.
            int a = rng.Next(Creators.Count), b = rng.Next(Creators.Count);
            var ci = _creatorCurves[a].Followers0 >= _creatorCurves[b].Followers0 ? a : b;
            var creator = Creators[ci];
            var samePlatform = byPlatform[creator.Platform];
            var clipper = rng.NextDouble() < 0.6 && samePlatform.Length > 0
                ? samePlatform[rng.Next(samePlatform.Length)]
                : Clippers[rng.Next(Clippers.Count)];
            var published = start.AddHours(rng.NextDouble() * spanHours);
            published = new DateTime(published.Ticks - (published.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
            var topicId = rng.NextDouble() < 0.9 ? creator.TopicId : rng.Next(1, Topics.Count + 1);
            var titles = DemoNames.Topics[creator.TopicId - 1].ClipTitles;

            Guid? vodId = null;
            double? from = null, to = null;
            if (vodsByCreator.TryGetValue(creator.Id, out var vods) && rng.NextDouble() < 0.85)
            {
                var vod = vods[rng.Next(vods.Length)];
                var duration = vod.DurationSeconds!.Value;
                var moment = moments[vod.Id][rng.Next(moments[vod.Id].Length)];
                var length = 15 + (rng.NextDouble() * 60);
                var clipStart = Math.Clamp(moment + (Normal(rng, 0, 12)) - (length / 3), 0, duration - 5);
                vodId = vod.Id;
                from = Math.Round(clipStart, 3);
                to = Math.Round(Math.Min(clipStart + length, duration), 3);
            }

            var popularity = Math.Pow(_creatorCurves[ci].Followers0 / 1e6, 0.4);
            // Planted effects (NUMBERS.md): a duration band and the evening lift every view count by a stated factor.
            var planted = DemoPlantedEffects.Factor(to - from, published);
            var ultimate = Math.Clamp(Math.Exp(Normal(rng, 9.8, 1.5)) * popularity, 200, 80_000_000) * planted;
            var wave = rng.NextDouble() < 0.33
                ? (Hour: 12 + (rng.NextDouble() * 120), Size: ultimate * (0.3 + (rng.NextDouble() * 3)), Tau: 3 + (rng.NextDouble() * 30))
                : (Hour: double.PositiveInfinity, Size: 0d, Tau: 1d);
            drafts.Add((
                new MarketClip
                {
                    Title = $"{creator.Handle}: {titles[rng.Next(titles.Length)]}",
                    Platform = clipper.Platform,
                    CreatorId = creator.Id,
                    ClipperId = clipper.Id,
                    TopicId = topicId,
                    VodId = vodId,
                    SourceStartSeconds = from,
                    SourceEndSeconds = to,
                    PublishedAt = published,
                    IsDemo = true,
                },
                new ClipCurve(published, ultimate, 2 + (rng.NextDouble() * 46), wave.Hour, wave.Size, wave.Tau,
                    0.04 + (rng.NextDouble() * 0.1), 0.002 + (rng.NextDouble() * 0.01), 0.005 + (rng.NextDouble() * 0.03))));
        }

        var ordered = drafts.OrderBy(d => d.Clip.PublishedAt).ToArray();
        for (var i = 0; i < ordered.Length; i++)
        {
            ordered[i].Clip.Id = i + 1;
        }

        return (ordered.Select(d => d.Clip).ToArray(), ordered.Select(d => d.Curve).ToArray());
    }

    private static int PickTopic(Random rng)
    {
        // The first five niches (the ones the product is about) are twice as common.
        var weighted = rng.Next(DemoNames.Topics.Length + 5);
        return weighted < 10 ? weighted / 2 : weighted - 5;
    }

    private static double Normal(Random rng, double mean, double sd)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return mean + (sd * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    private static Guid NewGuid(Random rng)
    {
        Span<byte> bytes = stackalloc byte[16];
        rng.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 layout
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private static string Title(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];

    private sealed record CreatorCurve(
        double Followers0, double Views0, double Rate, double Amplitude, double Phase, double FollowerRate,
        (double Hour, double Size, double Tau)[] Moments, double LikeRate, double CommentRate, double ShareRate)
    {
        /// <summary>Relative amplitude of the slow (15–60 day) swell and fade of the view rate.</summary>
        public double Season { get; init; }

        public double SeasonHours { get; init; }

        public double SeasonPhase { get; init; }

        /// <summary>Relative amplitude of the weekly swing of the view rate.</summary>
        public double Weekly { get; init; }

        public double WeeklyPhase { get; init; }

        public MetricSnapshot At(int id, DateTime at, DateTime start)
        {
            var h = Math.Max(0, (at - start).TotalHours);
            var period = 24 / (2 * Math.PI);
            var week = 168 / (2 * Math.PI);
            var season = SeasonHours / (2 * Math.PI);
            // Views are the integral of rate(h) = Rate·(1 + A·sin(h/day + φ) + W·sin(h/week + ψ) + S·sin(h/season + χ)).
            var views = Views0 + (Rate * (h
                + (Amplitude * period * (Math.Cos(Phase) - Math.Cos((h / period) + Phase)))
                + (Weekly * week * (Math.Cos(WeeklyPhase) - Math.Cos((h / week) + WeeklyPhase)))
                + (Season * season * (Math.Cos(SeasonPhase) - Math.Cos((h / season) + SeasonPhase)))));
            var followers = Followers0 + (FollowerRate * h);
            foreach (var (hour, size, tau) in Moments)
            {
                if (h > hour)
                {
                    var gained = size * (1 - Math.Exp(-(h - hour) / tau));
                    views += gained;
                    followers += gained * 0.01;
                }
            }

            return new MetricSnapshot
            {
                Kind = EntityKind.Creator,
                EntityId = id,
                At = at,
                Views = (long)views,
                Likes = (long)(views * LikeRate),
                Comments = (long)(views * CommentRate),
                Shares = (long)(views * ShareRate),
                Followers = (long)followers,
            };
        }
    }

    private sealed record ClipCurve(DateTime Published, double Ultimate, double Tau, double WaveHour, double WaveSize, double WaveTau, double LikeRate, double CommentRate, double ShareRate)
    {
        public MetricSnapshot At(int id, DateTime at)
        {
            var age = (at - Published).TotalHours;
            double views = 0;
            if (age > 0)
            {
                views = Ultimate * (1 - Math.Exp(-age / Tau));
                if (age > WaveHour)
                {
                    views += WaveSize * (1 - Math.Exp(-(age - WaveHour) / WaveTau));
                }
            }

            return new MetricSnapshot
            {
                Kind = EntityKind.Clip,
                EntityId = id,
                At = at,
                Views = (long)views,
                Likes = (long)(views * LikeRate),
                Comments = (long)(views * CommentRate),
                Shares = (long)(views * ShareRate),
            };
        }
    }
}

/// <summary>One live movement of the demo market.</summary>
public sealed record DemoStep(DateTime At, IReadOnlyList<MarketClip> NewClips, IReadOnlyList<MetricSnapshot> Snapshots);
