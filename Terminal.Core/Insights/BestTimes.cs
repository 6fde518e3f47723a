namespace Terminal.Core.Insights;

/// <summary>
/// One hour of the week (0 = Monday 00:00–01:00 in the creator's time zone, UTC unless known):
/// the ratio of the median views at the fixed age of posts published in that hour to the median of
/// all other posts, with a bootstrap 95 % interval. Null numbers and a note when the hour has too few posts.
/// </summary>
public sealed record HourOfWeekEffect(int HourOfWeek, int N, double? Effect, double? Low, double? High, string? Note);

/// <summary>The caller's best times: every hour of the week, and whether there is enough to judge at all.</summary>
public sealed record BestTimesResult(int Posts, IReadOnlyList<HourOfWeekEffect> Hours, string? Note);

/// <summary>Best time to post: the hour-of-week effect on a creator's own posts, honest about small samples.</summary>
public static class BestTimes
{
    public const string NotEnoughPosts = "not enough posts";

    /// <summary>Fewest posts in an hour (and outside it) for the hour to get an effect.</summary>
    public const int MinPostsPerHour = 5;

    /// <summary>Computes the 168 hours (Monday 00 h first) from posts given as (hour of week, views at the fixed age).</summary>
    public static BestTimesResult Compute(IReadOnlyList<(int HourOfWeek, double Views)> posts, int seed = InsightMath.DefaultSeed, int resamples = InsightMath.BootstrapResamples)
    {
        var hours = new List<HourOfWeekEffect>(168);
        for (var h = 0; h < 168; h++)
        {
            var inside = posts.Where(p => p.HourOfWeek == h).Select(p => p.Views).Order().ToArray();
            var outside = posts.Where(p => p.HourOfWeek != h).Select(p => p.Views).Order().ToArray();
            if (inside.Length < MinPostsPerHour || outside.Length < MinPostsPerHour)
            {
                hours.Add(new HourOfWeekEffect(h, inside.Length, null, null, null, NotEnoughPosts));
                continue;
            }

            var ratio = InsightMath.RatioOfMedians(inside, outside, InsightMath.SeedFor(seed, "how=" + h), resamples);
            hours.Add(ratio is { } e
                ? new HourOfWeekEffect(h, inside.Length, e.Effect, e.Low, e.High, null)
                : new HourOfWeekEffect(h, inside.Length, null, null, null, "no views outside this hour"));
        }

        var judged = hours.Count(h => h.Effect is not null);
        return new BestTimesResult(posts.Count, hours, judged == 0 ? NotEnoughPosts : null);
    }
}
