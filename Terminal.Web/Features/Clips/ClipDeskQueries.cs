using Microsoft.EntityFrameworkCore;
using Terminal.Core.Clips;
using Terminal.Core.Market;
using Terminal.Data;
using Terminal.Jobs.Media;

namespace Terminal.Web.Features.Clips;

/// <summary>Reads for the clip desk and the VOD endpoints: VOD details with media, recent VODs, hot zones.</summary>
public sealed class ClipDeskQueries(IDbContextFactory<TerminalDbContext> dbFactory, MediaPaths paths, MediaProber prober)
{
    public async Task<VodDetail?> GetVodAsync(Guid vodId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var vod = await db.Vods.AsNoTracking().FirstOrDefaultAsync(v => v.Id == vodId, cancellationToken);
        if (vod is null)
        {
            return null;
        }

        var media = await db.VodMedia.AsNoTracking().FirstOrDefaultAsync(m => m.VodId == vodId, cancellationToken);
        return ToDetail(vod, media);
    }

    public async Task<IReadOnlyList<VodDetail>> RecentVodsAsync(int take, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var vods = await db.Vods.AsNoTracking().OrderByDescending(v => v.PublishedAt).Take(Math.Clamp(take, 1, 200)).ToListAsync(cancellationToken);
        var ids = vods.Select(v => v.Id).ToList();
        var media = await db.VodMedia.AsNoTracking().Where(m => ids.Contains(m.VodId)).ToDictionaryAsync(m => m.VodId, cancellationToken);
        return vods.Select(v => ToDetail(v, media.GetValueOrDefault(v.Id))).ToList();
    }

    /// <summary>Creator display name by id (desk header).</summary>
    public async Task<string?> CreatorNameAsync(int creatorId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Creators.AsNoTracking().Where(c => c.Id == creatorId).Select(c => c.DisplayName).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>SPEC §3 hot zones of a VOD over <paramref name="bins"/> bins, normalised to 0–1: market clips cut from it, weighted by their latest views.</summary>
    public async Task<double[]> HotZonesAsync(Guid vodId, double durationSeconds, int bins, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var clips = await db.Clips.AsNoTracking()
            .Where(c => c.VodId == vodId && c.SourceStartSeconds != null && c.SourceEndSeconds != null)
            .Select(c => new
            {
                c.SourceStartSeconds,
                c.SourceEndSeconds,
                Views = db.Snapshots.Where(s => s.Kind == EntityKind.Clip && s.EntityId == c.Id).OrderByDescending(s => s.At).Select(s => (long?)s.Views).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var ranges = clips.Select(c => new ClippedRange(c.SourceStartSeconds!.Value, c.SourceEndSeconds!.Value, c.Views ?? 1));
        return HotZones.Normalise(HotZones.Compute(durationSeconds, bins, ranges));
    }

    /// <summary>Full path of the file the player streams, or null.</summary>
    public async Task<string?> PlayerFileAsync(Guid vodId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var file = await db.VodMedia.AsNoTracking().Where(m => m.VodId == vodId).Select(m => m.PlayerFile).FirstOrDefaultAsync(cancellationToken);
        var path = paths.Resolve(file);
        return path is not null && File.Exists(path) ? path : null;
    }

    public async Task<string?> ThumbnailFileAsync(Guid vodId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var file = await db.VodMedia.AsNoTracking().Where(m => m.VodId == vodId).Select(m => m.ThumbnailFile).FirstOrDefaultAsync(cancellationToken);
        var path = paths.Resolve(file);
        return path is not null && File.Exists(path) ? path : null;
    }

    /// <summary>
    /// Full path of the VOD's poster (the strip's first tile), made from the strip on first use and
    /// again whenever the strip is newer; null while the VOD has no strip.
    /// </summary>
    public async Task<string?> PosterFileAsync(Guid vodId, CancellationToken cancellationToken = default)
    {
        var strip = await ThumbnailFileAsync(vodId, cancellationToken);
        if (strip is null)
        {
            return null;
        }

        var poster = Path.ChangeExtension(strip, ".poster.jpg");
        if (!File.Exists(poster) || File.GetLastWriteTimeUtc(poster) < File.GetLastWriteTimeUtc(strip))
        {
            await prober.MakePosterAsync(strip, poster, cancellationToken);
        }

        return poster;
    }

    private static VodDetail ToDetail(Vod v, VodMedia? m) => new(
        v.Id, v.CreatorId, v.Title, v.Status, v.Error, v.DurationSeconds, v.Width, v.Height,
        m?.VideoCodec, m?.AudioCodec, m?.FrameRate, m?.ThumbnailTiles ?? 0,
        m?.ThumbnailFile is null ? null : $"/api/vods/{v.Id}/thumbnails",
        m?.PlayerFile is null ? null : $"/api/vods/{v.Id}/media",
        v.IsDemo, v.PublishedAt,
        m?.ThumbnailFile is null ? null : VodMediaUrls.Poster(v.Id)); // the same rule PosterFileAsync serves by
}
