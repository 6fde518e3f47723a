using Terminal.Core.Market;
namespace Terminal.Core.Trends;

/// <summary>
/// Topics (SPEC §4 "a topic's views are those of its posts"): velocity is the sum of the view gains of
/// the creators and clips filed under the topic on the platform(s) asked for; the opportunity gap
/// compares that demand with the active creators and the posts of the window, min-max normalised.
/// </summary>
internal static class TopicRanker
{
    public static RankedRow[] Rank(TrendState state, RankingKey key, RankingWindow window)
    {
        var byTopic = new Dictionary<int, TopicAccumulator>(state.Topics.Count);
        foreach (var node in state.Topics.Values)
        {
            if (node.Info is not null)
            {
                byTopic[node.Id] = new TopicAccumulator();
            }
        }

        foreach (var (table, isClip) in new[] { (state.CreatorTable, false), (state.ClipTable, true) })
        {
            for (var slot = 0; slot < table.Count; slot++)
            {
                var group = table.Group[slot];
                if (!RankingWindow.Admits(group, key.Platform) || !key.Source.Admits(table.Demo[slot]) || !byTopic.TryGetValue(table.Topic[slot], out var acc))
                {
                    continue;
                }

                var views = window.Views(table, slot);
                acc.Now += views.Gain;
                acc.AnyDemo |= table.Demo[slot];
                acc.Before += views.PreviousGain;
                if (!isClip)
                {
                    if (views.Gain > 0)
                    {
                        acc.ActiveCreators++;
                    }

                    continue;
                }

                if (window.Contains(table.Published[slot]))
                {
                    acc.Posts++;
                    if (table.Clipper[slot] is var clipper and not 0)
                    {
                        acc.Clippers.Add(clipper);
                    }
                }
            }
        }

        var w = window.Length;
        var rows = new List<RankedRow>(byTopic.Count);
        foreach (var (id, acc) in byTopic)
        {
            if (key.TopicId is { } only && only != id)
            {
                continue;
            }

            var velocity = acc.Now / w.TotalHours;
            rows.Add(new RankedRow
            {
                Node = state.Topics[id],
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
        RankingOrder.ApplyPercentiles(all, underClipped: false);
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

    private sealed class TopicAccumulator
    {
        public long Now;
        public long Before;
        public int ActiveCreators;
        public int Posts;
        public bool AnyDemo;

        public HashSet<int> Clippers { get; } = [];
    }
}
