namespace Terminal.Core.Market;

/// <summary>
/// How old market history is thinned (issue #15): every reading of the last 7 days is kept; older than
/// that, one reading per UTC hour; older than 30 days, one per UTC day. The reading kept in a bucket is
/// its <b>last</b> one, so <c>m(e, t)</c> — "the latest snapshot at or before t" (SPEC §3) — is still a
/// real stored reading for every t, exact at each bucket's end and at most one bucket stale inside it.
/// </summary>
/// <remarks>
/// A bucket is thinned only once it lies wholly past its threshold, and buckets are aligned to UTC hours
/// and days, so thinning is idempotent and order-free: thinning hourly and later daily keeps the same
/// reading as thinning daily at once (the last of a day is the last of its last hour). The stored
/// history (the thinning job) and anything that applies this to readings in memory therefore agree.
/// </remarks>
public static class HistoryThinning
{
    /// <summary>Readings younger than this are all kept.</summary>
    public static readonly TimeSpan HourlyAfter = TimeSpan.FromDays(7);

    /// <summary>Readings older than this keep one per UTC day.</summary>
    public static readonly TimeSpan DailyAfter = TimeSpan.FromDays(30);

    /// <summary>
    /// The bucket length that applies to a reading at <paramref name="atTicks"/> when the clock reads
    /// <paramref name="nowTicks"/>: a day, an hour, or 0 (kept as it is).
    /// </summary>
    public static long BucketTicks(long atTicks, long nowTicks)
    {
        const long day = TimeSpan.TicksPerDay;
        const long hour = TimeSpan.TicksPerHour;
        if (Floor(atTicks, day) + day <= nowTicks - DailyAfter.Ticks)
        {
            return day;
        }

        return Floor(atTicks, hour) + hour <= nowTicks - HourlyAfter.Ticks ? hour : 0;
    }

    /// <summary>
    /// Whether a reading at <paramref name="atTicks"/> survives thinning, given the same entity's next
    /// reading at <paramref name="nextTicks"/> (null when it is the entity's last).
    /// </summary>
    public static bool Keeps(long atTicks, long? nextTicks, long nowTicks)
    {
        if (nextTicks is not { } next)
        {
            return true;
        }

        var bucket = BucketTicks(atTicks, nowTicks);
        return bucket == 0 || Floor(atTicks, bucket) != Floor(next, bucket);
    }

    /// <summary>The start of the aligned bucket of length <paramref name="bucketTicks"/> holding <paramref name="ticks"/>.</summary>
    public static long Floor(long ticks, long bucketTicks) => ticks - (ticks % bucketTicks);
}
