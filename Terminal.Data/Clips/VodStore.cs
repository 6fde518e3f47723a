using System.Data;
using Terminal.Core.Clips;
using Terminal.Core.Market;

namespace Terminal.Data.Clips;

/// <summary>EF implementation of <see cref="IVods"/>.</summary>
public sealed class VodStore(TerminalDatabase database) : IVods
{
    public async Task<Vod?> FindAsync(Guid vodId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.Vods.AsNoTracking().FirstOrDefaultAsync(v => v.Id == vodId, cancellationToken);
    }

    public async Task<VodMedia?> FindMediaAsync(Guid vodId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.VodMedia.AsNoTracking().FirstOrDefaultAsync(m => m.VodId == vodId, cancellationToken);
    }

    public async Task<List<Vod>> ListAsync(int? creatorId, DateTime? since, int take, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var query = db.Vods.AsNoTracking();
        if (creatorId is { } c)
        {
            query = query.Where(v => v.CreatorId == c);
        }

        if (since is { } f)
        {
            query = query.Where(v => v.PublishedAt >= f);
        }

        return await query.OrderByDescending(v => v.PublishedAt).Take(take).ToListAsync(cancellationToken);
    }

    public async Task<Dictionary<Guid, VodMedia>> MediaOfAsync(IReadOnlyCollection<Guid> vodIds, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.VodMedia.AsNoTracking().Where(m => vodIds.Contains(m.VodId)).ToDictionaryAsync(m => m.VodId, cancellationToken);
    }

    public async Task<string?> CreatorNameAsync(int creatorId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.Creators.AsNoTracking().Where(c => c.Id == creatorId).Select(c => c.DisplayName).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<List<ClippedRange>> ClippedRangesAsync(Guid vodId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var clips = await db.Clips.AsNoTracking()
            .Where(c => c.VodId == vodId && c.SourceStartSeconds != null && c.SourceEndSeconds != null)
            .Select(c => new
            {
                c.SourceStartSeconds,
                c.SourceEndSeconds,
                Views = db.Snapshots.Where(s => s.Kind == EntityKind.Clip && s.EntityId == c.Id).OrderByDescending(s => s.At).Select(s => (long?)s.Views).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return clips.Select(c => new ClippedRange(c.SourceStartSeconds!.Value, c.SourceEndSeconds!.Value, c.Views ?? 1)).ToList();
    }

    public async Task<List<Guid>> RegisteredByAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.Vods.AsNoTracking().Where(v => v.RegisteredByUserId == userId).Select(v => v.Id).ToListAsync(cancellationToken);
    }

    public async Task<int> PendingProbesOfAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.Vods.CountAsync(v => v.RegisteredByUserId == userId && v.Status == VodStatus.Probing, cancellationToken);
    }

    public async Task<IReadOnlyList<Guid>> ProbingIdsAsync(CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.Vods.AsNoTracking().Where(v => v.Status == VodStatus.Probing).OrderBy(v => v.CreatedAt).Select(v => v.Id).ToListAsync(cancellationToken);
    }

    public async Task<int> RegisteredSinceAsync(string userId, DateTime since, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.Vods.CountAsync(v => v.RegisteredByUserId == userId && v.CreatedAt >= since, cancellationToken);
    }

    public Task<VodDeletion> DeleteAsync(Guid vodId, CancellationToken cancellationToken) =>
        database.InTransactionAsync(IsolationLevel.Serializable, async (db, ct) =>
        {
            var vod = await db.Vods.FirstOrDefaultAsync(v => v.Id == vodId, ct);
            if (vod is null)
            {
                return VodDeletion.Refused(VodDeletionOutcome.NotFound);
            }

            if (vod.Status == VodStatus.Probing)
            {
                // The preparation would write its strip and preview after the row is gone.
                return VodDeletion.Refused(VodDeletionOutcome.Probing);
            }

            var requests = await db.ClipRequests.Where(r => r.VodId == vodId).ToListAsync(ct);
            if (requests.Any(r => r.Status is ClipStatus.Pending or ClipStatus.Processing))
            {
                return VodDeletion.Refused(VodDeletionOutcome.ClipsInProgress);
            }

            var media = await db.VodMedia.FirstOrDefaultAsync(m => m.VodId == vodId, ct);
            var files = requests.Select(r => r.OutputFile)
                .Append(media?.ThumbnailFile)
                .Append(media?.PlayerFile)
                .OfType<string>()
                .ToList();
            db.ClipRequests.RemoveRange(requests);
            if (media is not null)
            {
                db.VodMedia.Remove(media);
            }

            db.Vods.Remove(vod);
            await db.SaveChangesAsync(ct);
            return new VodDeletion(VodDeletionOutcome.Deleted, files);
        }, cancellationToken);

    public async Task<HashSet<Guid>> WithClipsInProgressAsync(IReadOnlyCollection<Guid> vodIds, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var ids = vodIds.ToList();
        return (await db.ClipRequests.AsNoTracking()
            .Where(r => ids.Contains(r.VodId) && (r.Status == ClipStatus.Pending || r.Status == ClipStatus.Processing))
            .Select(r => r.VodId).Distinct().ToListAsync(cancellationToken)).ToHashSet();
    }

    public async Task ForgetMediaAsync(IReadOnlyCollection<Guid> vodIds, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var ids = vodIds.ToList();
        await db.VodMedia.Where(m => ids.Contains(m.VodId)).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task<bool> CreatorExistsAsync(int creatorId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.Creators.AnyAsync(c => c.Id == creatorId, cancellationToken);
    }

    public async Task AddAsync(Vod vod, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        db.Vods.Add(vod);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task RecordProbeAsync(Guid vodId, VodProbeResult result, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var vod = await db.Vods.FirstOrDefaultAsync(v => v.Id == vodId, cancellationToken);
        if (vod is null)
        {
            return;
        }

        var media = await MediaOfAsync(db, vodId, cancellationToken);
        vod.DurationSeconds = result.DurationSeconds;
        vod.Width = result.Width;
        vod.Height = result.Height;
        vod.Status = VodStatus.Ready;
        vod.Error = null;
        media.VideoCodec = result.VideoCodec;
        media.AudioCodec = result.AudioCodec;
        media.FrameRate = result.FrameRate;
        media.ThumbnailTiles = result.ThumbnailTiles;
        media.ThumbnailFile = result.ThumbnailFile;
        media.PlayerFile = result.PlayerFile;
        media.ProbedAt = result.ProbedAt;
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task RecordProbeFailureAsync(Guid vodId, string error, DateTime probedAt, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var vod = await db.Vods.FirstOrDefaultAsync(v => v.Id == vodId, cancellationToken);
        if (vod is null)
        {
            return;
        }

        var media = await MediaOfAsync(db, vodId, cancellationToken);
        vod.Status = VodStatus.Failed;
        vod.Error = error.Length > 1000 ? error[..1000] : error;
        media.ProbedAt = probedAt;
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task SetPlayerFileAsync(Guid vodId, string playerFile, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await db.VodMedia.Where(m => m.VodId == vodId).ExecuteUpdateAsync(s => s.SetProperty(m => m.PlayerFile, playerFile), cancellationToken);
    }

    private static async Task<VodMedia> MediaOfAsync(TerminalDbContext db, Guid vodId, CancellationToken cancellationToken)
    {
        var media = await db.VodMedia.FirstOrDefaultAsync(m => m.VodId == vodId, cancellationToken);
        if (media is null)
        {
            media = new VodMedia { VodId = vodId };
            db.VodMedia.Add(media);
        }

        return media;
    }
}
