using Terminal.Core.Market;

namespace Terminal.Core.Clips;

/// <summary>What a probe found out about a VOD's media.</summary>
public sealed record VodProbeResult(
    double DurationSeconds, int? Width, int? Height, string? VideoCodec, string? AudioCodec, double? FrameRate,
    int ThumbnailTiles, string ThumbnailFile, string? PlayerFile, DateTime ProbedAt);

/// <summary>VOD sources and their probed media: the questions and state changes of the VOD side of the clip feature.</summary>
public interface IVods
{
    Task<Vod?> FindAsync(Guid vodId, CancellationToken cancellationToken);

    Task<VodMedia?> FindMediaAsync(Guid vodId, CancellationToken cancellationToken);

    /// <summary>Newest first, optionally one creator's and published since <paramref name="since"/>.</summary>
    Task<List<Vod>> ListAsync(int? creatorId, DateTime? since, int take, CancellationToken cancellationToken);

    /// <summary>The media rows of <paramref name="vodIds"/> that exist, by VOD id.</summary>
    Task<Dictionary<Guid, VodMedia>> MediaOfAsync(IReadOnlyCollection<Guid> vodIds, CancellationToken cancellationToken);

    /// <summary>Creator display name by id (desk header).</summary>
    Task<string?> CreatorNameAsync(int creatorId, CancellationToken cancellationToken);

    /// <summary>The source ranges of the market clips cut from the VOD, each weighted by its latest views (1 when none yet): the input of SPEC §3 hot zones.</summary>
    Task<List<ClippedRange>> ClippedRangesAsync(Guid vodId, CancellationToken cancellationToken);

    Task<bool> CreatorExistsAsync(int creatorId, CancellationToken cancellationToken);

    /// <summary>Ids of the VODs <paramref name="userId"/> registered (their account is being deleted).</summary>
    Task<List<Guid>> RegisteredByAsync(string userId, CancellationToken cancellationToken);

    /// <summary>How many VODs <paramref name="userId"/> registered that are still being probed.</summary>
    Task<int> PendingProbesOfAsync(string userId, CancellationToken cancellationToken);

    /// <summary>VODs still waiting for their probe (queued again at start: the preparation queue lives in memory).</summary>
    Task<IReadOnlyList<Guid>> ProbingIdsAsync(CancellationToken cancellationToken);

    /// <summary>How many VODs <paramref name="userId"/> registered at or after <paramref name="since"/> (the per-user daily limit).</summary>
    Task<int> RegisteredSinceAsync(string userId, DateTime since, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a VOD with its media row and its finished, failed or cancelled clip requests, in one
    /// transaction — unless it is still being probed or a clip of it is pending or running. The files to
    /// remove afterwards (data-directory relative) come back with <see cref="VodDeletionOutcome.Deleted"/>.
    /// </summary>
    Task<VodDeletion> DeleteAsync(Guid vodId, CancellationToken cancellationToken);

    /// <summary>Those of <paramref name="vodIds"/> with a clip request pending or running (their media is in use).</summary>
    Task<HashSet<Guid>> WithClipsInProgressAsync(IReadOnlyCollection<Guid> vodIds, CancellationToken cancellationToken);

    /// <summary>Forgets the prepared media of <paramref name="vodIds"/> (their files were evicted): the next open prepares them again.</summary>
    Task ForgetMediaAsync(IReadOnlyCollection<Guid> vodIds, CancellationToken cancellationToken);

    Task AddAsync(Vod vod, CancellationToken cancellationToken);

    /// <summary>Marks the VOD ready with what the probe found (creating its media row if needed).</summary>
    Task RecordProbeAsync(Guid vodId, VodProbeResult result, CancellationToken cancellationToken);

    /// <summary>Marks the VOD failed with <paramref name="error"/>; its media row records that it was probed.</summary>
    Task RecordProbeFailureAsync(Guid vodId, string error, DateTime probedAt, CancellationToken cancellationToken);

    Task SetPlayerFileAsync(Guid vodId, string playerFile, CancellationToken cancellationToken);
}

/// <summary>What <see cref="IVods.DeleteAsync"/> did.</summary>
public sealed record VodDeletion(VodDeletionOutcome Outcome, IReadOnlyList<string> Files)
{
    public static VodDeletion Refused(VodDeletionOutcome outcome) => new(outcome, []);
}

public enum VodDeletionOutcome
{
    Deleted = 0,
    NotFound = 1,
    Probing = 2,
    ClipsInProgress = 3,
}
