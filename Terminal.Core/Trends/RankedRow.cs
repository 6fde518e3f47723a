using Terminal.Core.Market;

namespace Terminal.Core.Trends;

/// <summary>One entity's numbers in one ranking (a struct: 100,000 of them are one array, not 100,000 objects).</summary>
internal struct RankedRow
{
    public TrendNode Node;
    public double Velocity;
    public double Previous;

    /// <summary>Percentile bucket: the platform's value, 0 for topics (see <see cref="RankingOrder"/>).</summary>
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
    // Meaningful per kind only (the presenter picks them by kind): plain doubles keep the struct small.
    public double UnderClipped;
    public double ShareOfVoice;
    public double Opportunity;
    public Platform? Platform;
}

internal readonly record struct RankingKey(EntityKind Kind, Platform? Platform, Period Period, int? TopicId, MarketSourceFilter Source = MarketSourceFilter.All);

/// <param name="Order">Indices into <paramref name="Rows"/>, best first.</param>
internal sealed record Ranking(long Version, DateTime GeneratedAt, RankingKey Key, RankedRow[] Rows, int[] Order);
