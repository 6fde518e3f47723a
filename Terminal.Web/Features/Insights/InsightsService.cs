using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Caching.Memory;
using Terminal.Core.Insights;
using Terminal.Core.Market;
using Terminal.Core.Trends;

namespace Terminal.Web.Features.Insights;

/// <summary>Whose posts an insight is computed on.</summary>
public enum InsightScope
{
    /// <summary>Market clips (demo and monitored).</summary>
    [JsonStringEnumMemberName("market")] Market = 1,

    /// <summary>The caller's linked-account posts.</summary>
    [JsonStringEnumMemberName("mine")] Mine = 2,
}

/// <summary>One analysed row of a pattern run: anyone can recompute every finding from these (the creator id groups rows for the adjusted model's baseline).</summary>
public sealed record PatternRow(string Entity, int CreatorId, IReadOnlyDictionary<string, string> Features, double Outcome, double ViewsAtAge);

/// <summary>SPEC §10 <c>POST /api/insights/patterns</c> body.</summary>
public sealed record PatternsResponse(int N, string Outcome, IReadOnlyList<Finding> Findings, IReadOnlyList<string> Insights, DateTime GeneratedAt)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PatternRow>? Rows { get; init; }
}

/// <summary>SPEC §10 outlier row (highest ratio first); <c>url</c> opens the post (own posts: the platform's URL; market clips: the source VOD in CLIP at the clip's range, <c>/clip/{vod}?in=&amp;out=</c>), null when the clip has no known VOD.</summary>
public sealed record OutlierItem(string Entity, string Title, int CreatorId, double AgeHours, double Views, double Baseline, double Ratio, double Low, double High, Platform Platform, string? Url);

/// <summary>What an insight request names (after validation); the cache key.</summary>
public sealed record InsightRequest(InsightScope Scope, Platform? Platform, Period Period, string? UserId)
{
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{Scope}|{Platform}|{Period}|{(Scope == InsightScope.Mine ? UserId : "")}");
}

/// <summary>
/// Builds SPEC §10 results from stored data with the statistics of Terminal.Core/Insights. Each result
/// is computed as of one instant and cached for <see cref="CacheFor"/>: the same request within it gets
/// the same body (same <c>generatedAt</c>).
/// </summary>
public sealed class InsightsService(IInsightData data, ITrendReader trends, IMemoryCache cache, TimeProvider clock) : IOpportunityGapSource
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(60);

    /// <summary>Most outliers returned.</summary>
    public const int MaxOutliers = 100;

    /// <summary>Earlier posts read before the period so that its first posts have a baseline.</summary>
    public static readonly TimeSpan BaselineLookback = TimeSpan.FromDays(30);

    public static readonly TimeSpan Age = InsightMath.DefaultAge;

    public Task<PatternsResponse> PatternsAsync(InsightRequest request, CancellationToken cancellationToken = default) =>
        CachedAsync("patterns|" + request.Key, async () =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var posts = await PostsAsync(request, now - request.Period.Length(), now, cancellationToken);
            return Patterns(posts, now);
        });

    /// <summary>The pattern run over <paramref name="posts"/> (those with views at the age), rows included.</summary>
    public static PatternsResponse Patterns(IReadOnlyList<InsightPost> posts, DateTime generatedAt)
    {
        var rows = posts.Select(p => p.Row).OfType<InsightRow>().ToArray();
        var result = PatternDetector.Detect(rows, age: Age);
        return new PatternsResponse(result.N, result.Outcome, result.Findings, result.Insights, generatedAt)
        {
            Rows = rows.Select(r => new PatternRow(r.Entity, r.CreatorId, r.Features.ToDictionary(), r.Outcome, r.ViewsAtAge)).ToArray(),
        };
    }

    public Task<IReadOnlyList<OutlierItem>> OutliersAsync(InsightRequest request, CancellationToken cancellationToken = default) =>
        CachedAsync("outliers|" + request.Key, async () =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var from = now - request.Period.Length();
            var posts = await PostsAsync(request, from - BaselineLookback, now, cancellationToken);
            var byEntity = posts.ToDictionary(p => p.Entity, StringComparer.Ordinal);
            return (IReadOnlyList<OutlierItem>)OutlierScorer.Score(posts.Select(p => p.Candidate), Age, from, now)
                .Take(MaxOutliers)
                .Select(o => new OutlierItem(o.Entity, o.Title, o.CreatorId, o.AgeHours, o.Views, o.Baseline, o.Ratio, o.Low, o.High, byEntity[o.Entity].Platform, byEntity[o.Entity].Url))
                .ToList();
        });

    /// <summary>The caller's hour-of-week effects over their posts of the last 90 days (<see cref="BestTimesWindow"/>).</summary>
    public Task<BestTimesResult> BestTimesAsync(string userId, Platform? platform, CancellationToken cancellationToken = default) =>
        CachedAsync(string.Create(CultureInfo.InvariantCulture, $"best|{platform}|{userId}"), async () =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var posts = await data.OwnPostsAsync(userId, platform, now - BestTimesWindow, now, Age, cancellationToken);
            return BestTimes.Compute(posts.Where(p => p.ViewsAtAge is not null).Select(p => (p.Features.HourOfWeek, p.ViewsAtAge!.Value)).ToArray());
        });

    /// <summary>SPEC §10 opportunities: demand = the topic's views velocity (as TRND ranks it), supply and gap shrunk (<see cref="OpportunityGaps"/>).</summary>
    public Task<IReadOnlyList<OpportunityGap>> OpportunitiesAsync(Platform? platform, Period period, CancellationToken cancellationToken = default) =>
        CachedAsync(string.Create(CultureInfo.InvariantCulture, $"opportunities|{platform}|{period}"), async () =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var demand = trends.Query(new TrendQuery(EntityKind.Topic, platform, period, Limit: 500)).Data
                .GroupBy(t => t.Id).ToDictionary(g => g.Key, g => g.First().Velocity);
            var supplies = await data.TopicSuppliesAsync(platform, now, period.Length(), demand, cancellationToken);
            return OpportunityGaps.Compute(supplies, period.Length());
        });

    public static readonly TimeSpan BestTimesWindow = TimeSpan.FromDays(90);

    private Task<IReadOnlyList<InsightPost>> PostsAsync(InsightRequest request, DateTime from, DateTime to, CancellationToken cancellationToken) =>
        request.Scope == InsightScope.Mine
            ? data.OwnPostsAsync(request.UserId ?? throw new InvalidOperationException("scope=mine needs a user."), request.Platform, from, to, Age, cancellationToken)
            : data.MarketClipsAsync(request.Platform, from, to, Age, cancellationToken);

    private async Task<T> CachedAsync<T>(string key, Func<Task<T>> compute)
    {
        if (cache.TryGetValue(key, out T? hit) && hit is not null)
        {
            return hit;
        }

        var value = await compute();
        cache.Set(key, value, CacheFor);
        return value;
    }
}
