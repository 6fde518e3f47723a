using Terminal.Core.Market;

namespace Terminal.Core.Trends;

/// <summary>What every ranking does once its rows are computed: percentiles within platform groups, the
/// total order, and the niche filter.</summary>
internal static class RankingOrder
{
    /// <summary>Percentile buckets: one per platform value (sized from <see cref="Platforms.All"/>), plus
    /// bucket 0 for rows that belong to no platform (topics).</summary>
    private static readonly int Groups = Platforms.All.Max(p => (int)p) + 1;

    /// <summary>Percentile rank, heat, trending (and under-clipped) within each platform group.</summary>
    public static void ApplyPercentiles(RankedRow[] rows, bool underClipped)
    {
        // Groups are small integers (platform values; 0 for topics): bucket without LINQ on the hot path.
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
    public static int[] Sort(RankedRow[] rows)
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

    private sealed class TieOrder(RankedRow[] rows) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            var c = rows[y].Velocity.CompareTo(rows[x].Velocity);
            return c != 0 ? c : rows[x].Node.Id.CompareTo(rows[y].Node.Id);
        }
    }

    /// <summary>Drops rows with no topic relevance (only under a niche filter); by reference, no copies.</summary>
    public static RankedRow[] Filter(RankedRow[] rows)
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

        var result = new RankedRow[kept];
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
}
