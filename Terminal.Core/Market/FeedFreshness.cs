namespace Terminal.Core.Market;

/// <summary>How fresh a live feed's last tick is, as the status bar and <c>/health</c> report it (SPEC §4).</summary>
public enum FeedFreshness
{
    /// <summary>No feed is enabled, or it is still backfilling / faulted: freshness does not apply.</summary>
    NotApplicable = 0,

    /// <summary>A tick arrived within <see cref="FeedFreshnessRules.StaleAfter"/>.</summary>
    Fresh = 1,

    /// <summary>No tick for <see cref="FeedFreshnessRules.StaleAfter"/> (amber).</summary>
    Stale = 2,

    /// <summary>No tick for <see cref="FeedFreshnessRules.StoppedAfter"/> (red).</summary>
    Stopped = 3,
}

/// <summary>
/// The one rule for a live feed that stopped ticking. The demo feed ticks every second, so 10 s
/// without a tick means something is wrong (STALE); a minute means it has stopped (STOPPED).
/// </summary>
public static class FeedFreshnessRules
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan StoppedAfter = TimeSpan.FromSeconds(60);

    /// <summary>Freshness of a feed in <paramref name="state"/> whose last tick was at <paramref name="lastTickAt"/> (UTC), seen at <paramref name="now"/>.</summary>
    public static FeedFreshness Of(FeedState state, DateTime? lastTickAt, DateTime now)
    {
        if (state != FeedState.Live)
        {
            return FeedFreshness.NotApplicable;
        }

        if (lastTickAt is not { } last)
        {
            // A source marks its first tick before it reports Live; with no tick yet there is no age to judge.
            return FeedFreshness.Fresh;
        }

        var age = now - last;
        return age >= StoppedAfter ? FeedFreshness.Stopped
            : age >= StaleAfter ? FeedFreshness.Stale
            : FeedFreshness.Fresh;
    }

    /// <summary>Freshness of <paramref name="status"/> now.</summary>
    public static FeedFreshness Of(IMarketStatus status, TimeProvider time) =>
        Of(status.State, status.LastTickAt, time.GetUtcNow().UtcDateTime);
}
