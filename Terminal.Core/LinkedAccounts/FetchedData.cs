namespace Terminal.Core.LinkedAccounts;

/// <summary>A linked account's profile as the platform reported it.</summary>
public sealed record FetchedProfile(string? ExternalId, string? DisplayName, long? Followers);

/// <summary>A post and its metrics exactly as the platform reported them (null = not reported).</summary>
/// <param name="Format">Short, long or live as read from the platform's fields (<see cref="PostFormats"/>); null when it does not say.</param>
/// <param name="DurationSeconds">Length of the video when the platform reports it.</param>
public sealed record FetchedPost(string ExternalId, string Title, DateTime PublishedAt, string? Url,
    long? Views, long? Likes, long? Comments, long? Shares, long? Saves, long? Reach,
    Insights.PostFormat? Format = null, double? DurationSeconds = null);
