using Terminal.Core.Market;
namespace Terminal.Core.Trends;

/// <summary>
/// Clips: velocity and Δ% from their own views, recency from their publication, percentile and trending
/// within their platform. Under a niche, a clip is relevant through its own topic or its creator's.
/// </summary>
internal static class ClipRanker
{
    public static RankedRow[] Rank(TrendState state, RankingKey key, RankingWindow window)
    {
        var table = state.ClipTable;
        var rows = new RankedRow[table.Count];
        var count = 0;
        for (var slot = 0; slot < table.Count; slot++)
        {
            var group = table.Group[slot];
            if (!RankingWindow.Admits(group, key.Platform) || !key.Source.Admits(table.Demo[slot]))
            {
                continue;
            }

            var views = window.Views(table, slot);
            var published = table.Published[slot];
            var row = new RankedRow
            {
                Node = table.Nodes[slot],
                Velocity = window.Velocity(views),
                Previous = window.PreviousVelocity(views),
                Group = group,
                ClipperCount = 1,
                Recency = published == long.MinValue ? 1 : TrendFormulas.Recency(TimeSpan.FromTicks(window.Now - published), window.Length),
                Relevance = 1,
            };

            if (key.TopicId is { } topic)
            {
                var creatorTopic = table.Creator[slot] is var c and not 0 && state.Creators.TryGetValue(c, out var creator) ? creator.Info?.TopicId : null;
                row.Relevance = TrendFormulas.TopicRelevance(table.Topic[slot] == topic, creatorTopic == topic);
            }

            rows[count++] = row;
        }

        Array.Resize(ref rows, count);
        RankingOrder.ApplyPercentiles(rows, underClipped: false);
        return RankingOrder.Filter(rows);
    }
}
