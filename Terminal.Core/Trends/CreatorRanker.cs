using Terminal.Core.Market;
namespace Terminal.Core.Trends;

/// <summary>
/// Creators: velocity and Δ% from their own views; percentile and trending within their platform; the
/// clips cut from them give the clipper count, the clip share of voice and the under-clipped score.
/// Under a niche, a creator is relevant through its own topic or through a clip filed under it.
/// </summary>
internal static class CreatorRanker
{
    public static RankedRow[] Rank(TrendState state, RankingKey key, RankingWindow window)
    {
        var table = state.CreatorTable;
        var clipTable = state.ClipTable;
        var rows = new List<RankedRow>(table.Count);
        HashSet<int>? seen = null;
        for (var slot = 0; slot < table.Count; slot++)
        {
            var group = table.Group[slot];
            if (!RankingWindow.Admits(group, key.Platform) || !key.Source.Admits(table.Demo[slot]))
            {
                continue;
            }

            var views = window.Views(table, slot);
            var node = table.Nodes[slot];
            var row = new RankedRow
            {
                Node = node,
                Velocity = window.Velocity(views),
                Previous = window.PreviousVelocity(views),
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
                    clipGain += clipTable.Views(cs, EntityTable.NowCursor, window.Now) - clipTable.Views(cs, window.StartCursor, window.Start);
                    if (window.Contains(clipTable.Published[cs]) && clipTable.Clipper[cs] is var clipper and not 0)
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
            row.ShareOfVoice = TrendFormulas.ClipShareOfVoice(clipGain, views.Gain);
            row.Secondary = TrendFormulas.UnderClippedRatio(row.Velocity, clippers);
            if (key.TopicId is { } topic)
            {
                row.Relevance = TrendFormulas.TopicRelevance(table.Topic[slot] == topic, connected);
            }

            rows.Add(row);
        }

        var all = rows.ToArray();
        RankingOrder.ApplyPercentiles(all, underClipped: true);
        return RankingOrder.Filter(all);
    }
}
