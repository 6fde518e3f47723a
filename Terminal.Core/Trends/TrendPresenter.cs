using Terminal.Core.Market;

namespace Terminal.Core.Trends;

/// <summary>The presentation of a ranking: the rows asked for (limit, search, one id) as
/// <see cref="TrendItem"/>s with their rank, Δ%, the fields of their kind and their sparklines.</summary>
internal static class TrendPresenter
{
    public static TrendResult Present(TrendState state, Ranking ranking, TrendQuery query, int? onlyId)
    {
        var limit = Math.Max(0, query.Limit);
        var selected = new List<(int Rank, RankedRow Row)>(Math.Min(limit, ranking.Rows.Length));
        for (var i = 0; i < ranking.Order.Length && selected.Count < limit; i++)
        {
            var row = ranking.Rows[ranking.Order[i]];
            if (onlyId is { } only && row.Node.Id != only)
            {
                continue;
            }

            if (query.Ids is { } ids && !ids.Contains(row.Node.Id))
            {
                continue;
            }

            if (query.Search is { Length: > 0 } search && !row.Node.Info!.Name.Contains(search, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            selected.Add((i + 1, row));
        }

        var sparklines = Sparklines(state, ranking.Key, ranking.GeneratedAt, selected.Select(s => s.Row).ToList());
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
    /// Velocity over each of <see cref="TrendEngine.SparklinePoints"/> equal slices of the window, oldest first:
    /// <c>(m(t_{i+1}) − m(t_i)) / hours(w / 12)</c> with <c>t_i = now − w + i·w/12</c>.
    /// </summary>
    private static double[][] Sparklines(TrendState state, RankingKey key, DateTime now, List<RankedRow> rows)
    {
        var result = new double[rows.Count][];
        var w = key.Period.Length();
        var slice = w.Ticks / TrendEngine.SparklinePoints;
        var sliceHours = TimeSpan.FromTicks(slice).TotalHours;
        var start = now.Ticks - w.Ticks;
        state.Lock.EnterReadLock();
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
                result[i] = new double[TrendEngine.SparklinePoints];
                index[rows[i].Node.Id] = i;
            }

            if (index.Count == 0)
            {
                return result;
            }

            foreach (var node in state.Creators.Values.Concat(state.Clips.Values))
            {
                if (node.Info?.TopicId is not { } t || !index.TryGetValue(t, out var at) || (key.Platform is { } p && node.Info.Platform != p) || !key.Source.Admits(node.Info.IsDemo))
                {
                    continue;
                }

                var member = Slices(node.Series, start, slice, sliceHours);
                for (var s = 0; s < TrendEngine.SparklinePoints; s++)
                {
                    result[at][s] += member[s];
                }
            }

            return result;
        }
        finally
        {
            state.Lock.ExitReadLock();
        }
    }

    private static double[] Slices(MetricSeries series, long start, long slice, double sliceHours)
    {
        var points = new double[TrendEngine.SparklinePoints];
        var previous = series.ViewsAt(start);
        for (var s = 0; s < TrendEngine.SparklinePoints; s++)
        {
            var next = series.ViewsAt(start + (slice * (s + 1)));
            points[s] = (next - previous) / sliceHours;
            previous = next;
        }

        return points;
    }
}
