using Terminal.Core.Clips;
using Terminal.Core.Market;
using Terminal.Jobs.Media;

namespace Terminal.Web.Features.Clips;

/// <summary>Reads for the clip desk and the VOD endpoints: VOD details with media, recent VODs, hot zones.</summary>
public sealed class ClipDeskQueries(IVods vods, MediaPaths paths, MediaProber prober)
{
    public async Task<VodDetail?> GetVodAsync(Guid vodId, CancellationToken cancellationToken = default)
    {
        var vod = await vods.FindAsync(vodId, cancellationToken);
        if (vod is null)
        {
            return null;
        }

        var media = await vods.FindMediaAsync(vodId, cancellationToken);
        return ToDetail(vod, media, paths);
    }

    public async Task<IReadOnlyList<VodDetail>> RecentVodsAsync(int take, CancellationToken cancellationToken = default)
    {
        var recent = await vods.ListAsync(creatorId: null, since: null, Math.Clamp(take, 1, 200), cancellationToken);
        var media = await vods.MediaOfAsync(recent.Select(v => v.Id).ToList(), cancellationToken);
        return recent.Select(v => ToDetail(v, media.GetValueOrDefault(v.Id), paths)).ToList();
    }

    /// <summary>Creator display name by id (desk header).</summary>
    public Task<string?> CreatorNameAsync(int creatorId, CancellationToken cancellationToken = default) =>
        vods.CreatorNameAsync(creatorId, cancellationToken);

    /// <summary>SPEC §3 hot zones of a VOD over <paramref name="bins"/> bins, normalised to 0–1: market clips cut from it, weighted by their latest views.</summary>
    public async Task<double[]> HotZonesAsync(Guid vodId, double durationSeconds, int bins, CancellationToken cancellationToken = default)
    {
        var ranges = await vods.ClippedRangesAsync(vodId, cancellationToken);
        return HotZones.Normalise(HotZones.Compute(durationSeconds, bins, ranges));
    }

    /// <summary>Full path of the file the player streams, or null.</summary>
    public async Task<string?> PlayerFileAsync(Guid vodId, CancellationToken cancellationToken = default)
    {
        var file = (await vods.FindMediaAsync(vodId, cancellationToken))?.PlayerFile;
        var path = paths.Resolve(file);
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        // Watching a demo VOD keeps it off the demo cache's eviction list.
        DemoMediaGenerator.Touch(path);
        return path;
    }

    public async Task<string?> ThumbnailFileAsync(Guid vodId, CancellationToken cancellationToken = default)
    {
        var file = (await vods.FindMediaAsync(vodId, cancellationToken))?.ThumbnailFile;
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
            // A demo VOD not opened yet: the poster DemoPosterJob made ahead, if any.
            var early = Path.Combine(paths.ThumbnailFolder, $"{vodId:N}.poster.jpg");
            return File.Exists(early) ? early : null;
        }

        var poster = Path.ChangeExtension(strip, ".poster.jpg");
        if (!File.Exists(poster) || File.GetLastWriteTimeUtc(poster) < File.GetLastWriteTimeUtc(strip))
        {
            await prober.MakePosterAsync(strip, poster, cancellationToken);
        }

        return poster;
    }

    private static VodDetail ToDetail(Vod v, VodMedia? m, MediaPaths paths) => new(
        v.Id, v.CreatorId, v.Title, v.Status, v.Error, v.DurationSeconds, v.Width, v.Height,
        m?.VideoCodec, m?.AudioCodec, m?.FrameRate, m?.ThumbnailTiles ?? 0,
        m?.ThumbnailFile is null ? null : $"/api/vods/{v.Id}/thumbnails",
        m?.PlayerFile is null ? null : $"/api/vods/{v.Id}/media",
        v.IsDemo, v.PublishedAt,
        m?.ThumbnailFile is not null || File.Exists(Path.Combine(paths.ThumbnailFolder, $"{v.Id:N}.poster.jpg"))
            ? VodMediaUrls.Poster(v.Id) : null); // the same rule PosterFileAsync serves by
}
