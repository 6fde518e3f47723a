namespace Terminal.Core.Clips;

/// <summary>
/// Deletes a registered VOD with its finished clips and media (SPEC §8): its submitter or an admin may; a VOD
/// being probed or with a clip in progress is refused (409), anyone else gets 403.
/// </summary>
public interface IVodRemoval
{
    Task DeleteAsync(Guid vodId, string userId, bool isAdmin, CancellationToken cancellationToken = default);
}
