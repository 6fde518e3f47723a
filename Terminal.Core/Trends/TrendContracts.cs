using Terminal.Core.Market;

namespace Terminal.Core.Trends;

/// <summary>One ranked row of a trend panel (SPEC §4 trends item).</summary>
/// <param name="Rank">1-based rank by heat.</param>
/// <param name="Id">The entity id (for creators: the id used by <c>/api/creators/{id}</c>).</param>
/// <param name="Name">Handle or title.</param>
/// <param name="Platform">The entity's platform; null for a topic ranked across all platforms.</param>
/// <param name="Velocity">Views per hour over the period (SPEC §3).</param>
/// <param name="Change">Δ% as a fraction (0.25 = +25 %); null when the earlier velocity is 0.</param>
/// <param name="Heat">0–100.</param>
/// <param name="ClipperCount">Distinct clippers in the period (creators; 0 for others unless defined).</param>
/// <param name="Sparkline">Recent velocity points, oldest first.</param>
public sealed record TrendItem(
    int Rank,
    int Id,
    string Name,
    Platform? Platform,
    double Velocity,
    double? Change,
    double Heat,
    int ClipperCount,
    IReadOnlyList<double> Sparkline)
{
    /// <summary>The entity's niche (for a topic, itself).</summary>
    public int? TopicId { get; init; }

    /// <summary>Velocity at or above the 90th percentile of its platform for the period (SPEC §3).</summary>
    public bool Trending { get; init; }

    /// <summary>Creators: under-clipped score 0–100 (demand per clipper, percentile-ranked); null for others.</summary>
    public double? UnderClippedScore { get; init; }

    /// <summary>Creators: clip share of voice 0–1 over the period; null for others.</summary>
    public double? ClipShareOfVoice { get; init; }

    /// <summary>Topics: opportunity gap 0–100 (demand over supply, min-max normalised); null for others.</summary>
    public double? OpportunityGap { get; init; }

    /// <summary>True when the row is (or, for a topic, includes) simulated DEMO data (SPEC §9).</summary>
    public bool IsDemo { get; init; }
}

/// <summary>What a trend panel asks for.</summary>
/// <param name="Platform">null = all platforms.</param>
/// <param name="TopicId">Niche filter (heat multiplies by topic relevance when set).</param>
/// <param name="Search">Creator/name filter.</param>
public sealed record TrendQuery(EntityKind Kind, Platform? Platform, Period Period, int Limit = 50, int? TopicId = null, string? Search = null)
{
    /// <summary>Which market the ranking is built from (SPEC §9 <c>source=all|live|demo</c>).</summary>
    public MarketSourceFilter Source { get; init; }

    /// <summary>Only these entities (a watchlist's, SPEC §11), keeping their ranks in the whole ranking; null = all.
    /// The limit counts the matching rows, so a watched entity far down the ranking still shows.</summary>
    public IReadOnlySet<int>? Ids { get; init; }
}

public sealed record TrendResult(IReadOnlyList<TrendItem> Data, DateTime GeneratedAt);

/// <summary>Rankings ready at any moment (SPEC §3, §4 <c>/api/analytics/trends</c>).</summary>
public interface ITrendReader
{
    TrendResult Query(TrendQuery query);
}

/// <summary>A push of one topic's ranking (SPEC §5 <c>TrendTick</c>).</summary>
public sealed record TrendTick(string Topic, IReadOnlyList<TrendItem> Items, DateTime At)
{
    /// <summary>
    /// For delta subscribers (<see cref="TrendDelta"/>): the sequence number of the state this snapshot
    /// is; the next delta carries <c>Seq + 1</c>. 0 on plain (full-every-tick) subscriptions.
    /// </summary>
    public long Seq { get; init; }
}

/// <summary>
/// Live rankings per topic (<c>trends:{type}:{platform}:{period}</c>), at most 4 ticks a second per
/// topic, bursts coalesced. The hub and the Blazor panels both subscribe here.
/// </summary>
public interface ITrendTicker
{
    /// <summary>Subscribes to a topic (see <see cref="TrendTopics"/>); the subscriber gets a first tick
    /// within a quarter second, then one whenever the market moves (coalesced to ≤ 4/s).
    /// Throws <see cref="ArgumentException"/> for a malformed topic.</summary>
    IDisposable Subscribe(string topic, Action<TrendTick> onTick);

    /// <summary>Asks for a tick of the topic soon (within the rate cap) even if the market did not move,
    /// e.g. because a new hub client joined the topic's group.</summary>
    void Refresh(string topic);
}
