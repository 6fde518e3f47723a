using Terminal.Core.Market;

namespace Terminal.Core.MarketSources;

/// <summary>A linked account whose owner contributes its public video stats to the market (SPEC §9, TikTok).</summary>
public sealed record Contribution(long PlatformAccountId, string UserId, Platform Platform, int CreatorId, DateTime OptedInAt, DateTime? PublishedSyncAt);

/// <summary>The numbers of one sync of a contributing account, as its platform reported them: followers, and the
/// account's public videos' views, likes, comments and shares.</summary>
public sealed record ContributedReading(Contribution Contribution, DateTime SyncedAt, long? Followers, long? Views, long? Likes, long? Comments, long? Shares)
{
    public MetricSnapshot ToSnapshot(DateTime at) => new()
    {
        Kind = EntityKind.Creator,
        EntityId = Contribution.CreatorId,
        At = at,
        Followers = Followers ?? 0,
        Views = Views ?? 0,
        Likes = Likes ?? 0,
        Comments = Comments ?? 0,
        Shares = Shares ?? 0,
    };
}

/// <summary>
/// The ACCT opt-in "contribute my public video stats to the market" (off by default, revocable): a
/// contributing linked account is a real market creator; opting out removes it and its readings.
/// </summary>
public interface IMarketContributions
{
    Task<Contribution?> GetAsync(string userId, Platform platform, CancellationToken cancellationToken = default);

    /// <summary>Makes the caller's connected account of <paramref name="platform"/> a market creator (idempotent).
    /// Throws a conflict when the caller has no connected account there.</summary>
    Task<(Contribution Contribution, Creator Creator, Topic Topic, bool TopicCreated, ContributedReading? Latest)> OptInAsync(
        string userId, Platform platform, DateTime now, CancellationToken cancellationToken = default);

    /// <summary>Removes the contribution, its creator and every reading of it; the removed creator id, or null when none.</summary>
    Task<int?> OptOutAsync(string userId, Platform platform, CancellationToken cancellationToken = default);

    /// <summary>Contributions whose account synced since its last published reading, with that sync's numbers.</summary>
    Task<IReadOnlyList<ContributedReading>> PendingAsync(CancellationToken cancellationToken = default);

    Task MarkPublishedAsync(long platformAccountId, DateTime syncedAt, CancellationToken cancellationToken = default);
}
