using Terminal.Core.Market;

namespace Terminal.Core.Insights;

/// <summary>
/// A post or clip as the insights read it: its features, and its views at the fixed age read from its
/// stored readings by interpolation (null while no reading reaches the age).
/// </summary>
/// <param name="CreatorId">Market clips: the creator clipped; own posts: the linked account (so baselines are per account).</param>
/// <param name="Url">Where the post opens: own posts their platform URL; market clips their source VOD in CLIP at the clip's range (<see cref="InsightRows.ClipHref"/>), null when unknown.</param>
public sealed record InsightPost(string Entity, string Title, int CreatorId, Platform Platform, DateTime PublishedAt, PostFeatures Features, double? ViewsAtAge, string? Url)
{
    public InsightRow? Row => ViewsAtAge is { } v ? new InsightRow(Entity, CreatorId, Features, v) : null;

    public OutlierCandidate Candidate => new(Entity, Title, CreatorId, PublishedAt, ViewsAtAge);
}

/// <summary>What the insights read from storage (implemented in Terminal.Data/Insights).</summary>
public interface IInsightData
{
    /// <summary>Market clips published in <c>[from, to]</c> (platform null = all), with views at <paramref name="age"/>.</summary>
    Task<IReadOnlyList<InsightPost>> MarketClipsAsync(Platform? platform, DateTime from, DateTime to, TimeSpan age, CancellationToken cancellationToken = default);

    /// <summary>The user's own linked-account posts published in <c>[from, to]</c>, with views at <paramref name="age"/> from their post snapshots.</summary>
    Task<IReadOnlyList<InsightPost>> OwnPostsAsync(string userId, Platform? platform, DateTime from, DateTime to, TimeSpan age, CancellationToken cancellationToken = default);

    /// <summary>
    /// Supply of each topic over <c>[now − window, now]</c> (SPEC §3): <c>Posts</c> = clips of the topic
    /// published in the window; <c>ActiveCreators</c> = creators of the topic whose stored views grew
    /// inside the window. Demand is the caller's (the topic's views velocity from the trend engine).
    /// </summary>
    Task<IReadOnlyList<TopicSupply>> TopicSuppliesAsync(Platform? platform, DateTime now, TimeSpan window, IReadOnlyDictionary<int, double> demand, CancellationToken cancellationToken = default);
}

/// <summary>Stores the features of clips and posts written before features were stored, or under an older definition (implemented in Terminal.Data/Insights).</summary>
public interface IPostFeatureBackfill
{
    /// <summary>Computes and stores the features of up to <paramref name="batch"/> clips and as many posts; returns how many rows it wrote (0: all current).</summary>
    Task<int> RunAsync(int batch, CancellationToken cancellationToken = default);
}
