using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Terminal.Core.Clips;
using Terminal.Core.Common;
using Terminal.Core.Market;
using Terminal.Data;
using Terminal.Jobs.Media;

namespace Terminal.Jobs.Clips;

/// <summary>
/// VOD sources (SPEC §4 <c>POST /api/vods</c>): registration behind the SSRF guard, and the probe that
/// fills duration, resolution, codecs, the thumbnail strip and the player file — or marks the VOD
/// failed with a reason.
/// </summary>
public sealed class VodMediaService(
    IDbContextFactory<TerminalDbContext> dbFactory,
    SourceUrlGuard guard,
    ClipQueue queue,
    MediaSources sources,
    MediaProber prober,
    MediaPaths paths,
    TimeProvider time,
    IOptions<MediaOptions> options,
    ILogger<VodMediaService> logger)
{
    /// <summary>Registers a remote source for a creator and queues its probe.</summary>
    public async Task<Vod> RegisterAsync(string userId, int creatorId, string? title, string? sourceUrl, CancellationToken cancellationToken = default)
    {
        var cleanTitle = title?.Trim();
        if (string.IsNullOrEmpty(cleanTitle) || cleanTitle.Length > 256)
        {
            throw TerminalException.BadRequest("invalid_title", "title is required (at most 256 characters).");
        }

        var uri = await guard.CheckAsync(sourceUrl, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Creators.AnyAsync(c => c.Id == creatorId, cancellationToken))
        {
            throw TerminalException.NotFound("creator_not_found", "No creator has that id.");
        }

        // A user's sources wait on the shared media queue: cap how many one user can keep it busy with.
        var pending = await db.Vods.CountAsync(v => v.RegisteredByUserId == userId && v.Status == VodStatus.Probing, cancellationToken);
        if (pending >= options.Value.MaxPendingProbesPerUser)
        {
            throw TerminalException.Conflict("too_many_pending_vods",
                $"You have {pending} VODs still being probed (at most {options.Value.MaxPendingProbesPerUser}); wait for them to finish.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var vod = new Vod
        {
            Id = Guid.NewGuid(),
            CreatorId = creatorId,
            Title = cleanTitle,
            SourceUrl = uri.AbsoluteUri,
            Status = VodStatus.Probing,
            RegisteredByUserId = userId,
            PublishedAt = now,
            CreatedAt = now,
        };
        db.Vods.Add(vod);
        await db.SaveChangesAsync(cancellationToken);
        await queue.EnqueueProbeAsync(vod.Id, cancellationToken);
        return vod;
    }

    /// <summary>Queues the probe of a VOD whose media has not been prepared yet (demo VODs on first open). True when media is ready.</summary>
    public async Task<bool> EnsurePreparedAsync(Guid vodId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var media = await db.VodMedia.AsNoTracking().FirstOrDefaultAsync(m => m.VodId == vodId, cancellationToken);
        if (media?.ProbedAt is not null)
        {
            return media.PlayerFile is not null;
        }

        var vod = await db.Vods.AsNoTracking().FirstOrDefaultAsync(v => v.Id == vodId, cancellationToken);
        if (vod is not null && vod.Status != VodStatus.Failed)
        {
            await queue.EnqueueProbeAsync(vodId, cancellationToken);
        }

        return false;
    }

    /// <summary>The probe (run by <see cref="ProbeVodJob"/>).</summary>
    public async Task ProbeAsync(Guid vodId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var vod = await db.Vods.FirstOrDefaultAsync(v => v.Id == vodId, cancellationToken);
        if (vod is null)
        {
            return;
        }

        var media = await db.VodMedia.FirstOrDefaultAsync(m => m.VodId == vodId, cancellationToken);
        if (media is null)
        {
            media = new VodMedia { VodId = vodId };
            db.VodMedia.Add(media);
        }

        // One overall limit for the whole preparation, so a trickling source cannot hold the media queue.
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        overall.CancelAfter(TimeSpan.FromSeconds(options.Value.PrepareTimeoutSeconds));
        MediaInput? input = null;
        try
        {
            input = await sources.ResolveAsync(vod, overall.Token);
            var info = await prober.ProbeAsync(input, overall.Token);
            var tiles = options.Value.ThumbnailTiles;
            var strip = Path.Combine(paths.ThumbnailFolder, $"{vodId:N}.jpg");
            await prober.MakeThumbnailStripAsync(input, info.DurationSeconds, tiles, strip, overall.Token);

            vod.DurationSeconds = Math.Round(info.DurationSeconds, 3);
            vod.Width = info.Width;
            vod.Height = info.Height;
            vod.Status = VodStatus.Ready;
            vod.Error = null;
            media.VideoCodec = info.VideoCodec;
            media.AudioCodec = info.AudioCodec;
            media.FrameRate = info.FrameRate is { } fps ? Math.Round(fps, 3) : null;
            media.ThumbnailTiles = tiles;
            media.ThumbnailFile = paths.Relative(strip);
            media.PlayerFile = input.IsLocal ? paths.Relative(input.Url) : null;
            media.ProbedAt = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("VOD {VodId} probed: {Duration} s {Width}x{Height} {Codec}", vodId, info.DurationSeconds, info.Width, info.Height, info.VideoCodec);

            if (!input.IsLocal)
            {
                // Browsers cannot play HLS natively and the CSP keeps media on our origin: serve a small MP4 preview.
                try
                {
                    var preview = Path.Combine(paths.PreviewFolder, $"{vodId:N}.mp4");
                    await prober.MakePreviewAsync(input, options.Value.PreviewHeight, vod.DurationSeconds!.Value, preview, overall.Token);
                    media.PlayerFile = paths.Relative(preview);
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (Exception e) when (e is MediaException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    // The VOD can still be cut; only the in-browser preview is missing.
                    logger.LogWarning("Preview of VOD {VodId} failed: {Error}", vodId, (e as MediaException)?.Detail ?? "time limit");
                }
            }
        }
        catch (Exception e) when (e is MediaException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = e is MediaException m ? m.Message : input?.Explain(MediaFailure.TooSlow) ?? MediaFailure.TooSlow;
            vod.Status = VodStatus.Failed;
            vod.Error = reason.Length > 1000 ? reason[..1000] : reason;
            media.ProbedAt = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(CancellationToken.None);
            logger.LogWarning("VOD {VodId} failed: {Reason} ({Detail})", vodId, vod.Error, (e as MediaException)?.Detail ?? "preparation time limit");
        }
        finally
        {
            if (input is not null)
            {
                await input.DisposeAsync();
            }
        }
    }
}
