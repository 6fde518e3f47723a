namespace Terminal.Core.Trends;

/// <summary>
/// The numbers of SPEC §3, defined once. Every function is pure; the incremental
/// <see cref="TrendEngine"/> and any plain recomputation call these same functions, so they can only
/// disagree about which readings they feed in, never about arithmetic.
/// </summary>
/// <remarks>
/// <para><b>Reading a cumulative metric.</b> <c>m(e, t)</c> is the value of the latest snapshot of
/// <c>e</c> taken at or before <c>t</c>. When <c>e</c> has no snapshot at or before <c>t</c> but has
/// later ones, <c>m(e, t)</c> is the value of its <i>earliest</i> snapshot: the series is extended flat
/// backwards, so views an entity already had when we first saw it are never counted as growth inside
/// a window. An entity with no snapshot at all reads 0. (Sources that know an entity started at zero —
/// the demo market writes a zero snapshot at a clip's publication — get exact early growth.)</para>
/// <para><b>Windows.</b> <c>w</c> is 1 h, 24 h, 7 d or 30 d; <c>hours(w)</c> is its length in hours.</para>
/// </remarks>
public static class TrendFormulas
{
    /// <summary>Views-per-hour velocity: <c>v_w(e) = (m(e, now) − m(e, now − w)) / hours(w)</c>.</summary>
    /// <param name="valueNow"><c>m(e, now)</c>.</param>
    /// <param name="valueWindowStart"><c>m(e, now − w)</c>.</param>
    public static double Velocity(long valueNow, long valueWindowStart, TimeSpan window) =>
        (valueNow - valueWindowStart) / window.TotalHours;

    /// <summary>
    /// Δ% as a fraction: <c>(v_w(e, now) − v_w(e, now − w)) / v_w(e, now − w)</c>; null when the earlier
    /// velocity is 0. The earlier velocity is <c>(m(now − w) − m(now − 2w)) / hours(w)</c>.
    /// A negative earlier velocity (a metric that shrank) divides by its absolute value so that the
    /// sign of the change always says "faster" (+) or "slower" (−).
    /// </summary>
    public static double? Change(double velocityNow, double velocityBefore) =>
        velocityBefore == 0 ? null : (velocityNow - velocityBefore) / Math.Abs(velocityBefore);

    /// <summary>
    /// Percentile rank in 0–100: <c>100 × |{x ∈ group : x ≤ value}| / |group|</c> ("at or below").
    /// The largest value of a group scores 100; a group of one scores 100; an empty group scores 0.
    /// </summary>
    /// <param name="sortedAscending">The group's values, sorted ascending.</param>
    public static double PercentileRank(double value, ReadOnlySpan<double> sortedAscending)
    {
        if (sortedAscending.IsEmpty)
        {
            return 0;
        }

        return 100.0 * CountAtOrBelow(sortedAscending, value) / sortedAscending.Length;
    }

    /// <summary>Number of elements ≤ <paramref name="value"/> in an ascending span (binary search).</summary>
    public static int CountAtOrBelow(ReadOnlySpan<double> sortedAscending, double value)
    {
        int lo = 0, hi = sortedAscending.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sortedAscending[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>
    /// Recency factor of a clip: <c>exp(−age / τ)</c> with <c>τ = w</c>; 1 for an age ≤ 0.
    /// Creators and topics have no age: their factor is 1.
    /// </summary>
    public static double Recency(TimeSpan age, TimeSpan tau) =>
        age <= TimeSpan.Zero ? 1.0 : Math.Exp(-age.TotalHours / tau.TotalHours);

    /// <summary>
    /// Heat in 0–100: percentile rank of velocity within the same platform and period × recency
    /// (clips) × topic relevance (when a niche filter is on; 1 otherwise).
    /// </summary>
    public static double Heat(double percentileRank, double recency = 1.0, double topicRelevance = 1.0) =>
        Math.Clamp(percentileRank * recency * topicRelevance, 0, 100);

    /// <summary>
    /// Topic relevance of an entity to the niche filter <c>T</c>: 1 when the entity's own topic is
    /// <c>T</c>; 0.5 when it is only connected to <c>T</c> (a creator with at least one clip filed under
    /// <c>T</c>, or a clip whose creator's topic is <c>T</c>); 0 otherwise (the entity is left out of the
    /// filtered ranking).
    /// </summary>
    public static double TopicRelevance(bool ownTopicMatches, bool connectedToTopic) =>
        ownTopicMatches ? 1.0 : connectedToTopic ? 0.5 : 0.0;

    /// <summary>
    /// The 90th percentile of a platform's velocities for a period, nearest-rank method:
    /// the value at 1-based position <c>⌈0.9 × N⌉</c> of the ascending list. +∞ for an empty list.
    /// </summary>
    public static double Percentile90(ReadOnlySpan<double> sortedAscending)
    {
        if (sortedAscending.IsEmpty)
        {
            return double.PositiveInfinity;
        }

        var rank = (int)Math.Ceiling(0.9 * sortedAscending.Length);
        return sortedAscending[Math.Max(rank, 1) - 1];
    }

    /// <summary>
    /// Trending indicator: velocity at or above the platform's 90th percentile for the period, and
    /// positive (a flat market has nothing trending).
    /// </summary>
    public static bool IsTrending(double velocity, double percentile90) => velocity > 0 && velocity >= percentile90;

    /// <summary>Engagement rate of one post: <c>(likes + comments + shares + saves) / views</c>; 0 without views.</summary>
    public static double EngagementRate(long views, long likes, long comments, long shares, long saves = 0) =>
        views <= 0 ? 0 : (double)(likes + comments + shares + saves) / views;

    /// <summary>
    /// View-weighted engagement rate of an account: <c>Σ_i views_i × rate_i / Σ_i views_i</c>, which is
    /// <c>Σ engagements / Σ views</c> over its posts; 0 without views.
    /// </summary>
    public static double EngagementRate(IEnumerable<(long Views, long Likes, long Comments, long Shares, long Saves)> posts)
    {
        long views = 0, engagements = 0;
        foreach (var p in posts)
        {
            if (p.Views <= 0)
            {
                continue;
            }

            views += p.Views;
            engagements += p.Likes + p.Comments + p.Shares + p.Saves;
        }

        return views == 0 ? 0 : (double)engagements / views;
    }

    /// <summary>
    /// The quantity the under-clipped score ranks: demand per clipper,
    /// <c>max(v_w, 0) / (1 + clipperCount_w)</c>. The <b>under-clipped score</b> (0–100) of a creator is
    /// the <see cref="PercentileRank"/> of this ratio among the creators of the same platform and period:
    /// high views velocity served by few clippers scores near 100.
    /// </summary>
    public static double UnderClippedRatio(double velocity, int clipperCount) =>
        Math.Max(velocity, 0) / (1 + Math.Max(clipperCount, 0));

    /// <summary>
    /// Clip share of voice of a creator over <c>w</c>: views gained in <c>w</c> by clips of the creator
    /// posted by others ÷ (those + views gained in <c>w</c> by the creator's own posts). 0 when neither
    /// gained anything. Negative gains count as 0.
    /// </summary>
    public static double ClipShareOfVoice(double clipViewsGained, double ownViewsGained)
    {
        var clips = Math.Max(clipViewsGained, 0);
        var own = Math.Max(ownViewsGained, 0);
        return clips + own == 0 ? 0 : clips / (clips + own);
    }

    /// <summary>
    /// Raw opportunity of a topic over <c>w</c>: demand ÷ supply where demand is the topic's views
    /// velocity and supply = active creators × posting rate. Active creators <c>A</c> are the topic's
    /// creators whose own views grew in <c>w</c>; the posting rate is the topic's clips published in
    /// <c>w</c> per hour per active creator, <c>posts / (hours(w) × max(A, 1))</c>. One post per window
    /// is added to supply (<c>+ 1 / hours(w)</c>) so that an unserved topic has a finite, large gap.
    /// The <b>opportunity gap</b> (0–100) is this raw value min-max normalised over the topics of the
    /// same ranking (<see cref="MinMaxNormalise"/>).
    /// </summary>
    public static double OpportunityRaw(double demandVelocity, int activeCreators, int postsInWindow, TimeSpan window)
    {
        var hours = window.TotalHours;
        var postingRate = postsInWindow / (hours * Math.Max(activeCreators, 1));
        var supply = Math.Max(activeCreators, 1) * postingRate;
        return Math.Max(demandVelocity, 0) / (supply + 1.0 / hours);
    }

    /// <summary><c>100 × (x − min) / (max − min)</c>; 0 when every value is equal.</summary>
    public static double MinMaxNormalise(double value, double min, double max) =>
        max <= min ? 0 : Math.Clamp(100.0 * ((value - min) / (max - min)), 0, 100);
}
